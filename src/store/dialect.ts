import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';
import type { Database } from './schema.js';

// Every difference between SQLite and PostgreSQL lives in this module.

export type Engine = 'sqlite' | 'postgres';

export interface OpenedDatabase {
  db: Kysely<Database>;
  engine: Engine;
}

export function openDatabase(options: { databaseUrl?: string; sqliteFile: string }): OpenedDatabase {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      // Epoch-millisecond columns are BIGINT; they fit a JS number, so read them as numbers.
      types: {
        getTypeParser: (oid: number, format?: 'text' | 'binary') =>
          oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
      },
    });
    // An idle connection the server drops (a restart, a failover, an administrator) is an 'error'
    // event on the pool; unheard, it would crash the process. The pool replaces the connection.
    pool.on('error', (error) => process.emitWarning(`PostgreSQL dropped an idle connection: ${error.message}`));
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), engine: 'postgres' };
  }
  mkdirSync(dirname(options.sqliteFile), { recursive: true });
  const sqlite = new SqliteDatabase(options.sqliteFile);
  // WAL lets readers proceed during a write; foreign keys are off by default in SQLite.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return { db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }), engine: 'sqlite' };
}

/** Distinct SQL texts kept prepared; Frontdesk's queries number in the dozens. */
const STATEMENT_CACHE_SIZE = 512;

/**
 * Kysely prepares every statement again on each execution; on SQLite's hot paths that is a tenth
 * of the CPU. Statements are reusable (Kysely runs each to completion synchronously), so keep them,
 * least recently used first out.
 */
function withStatementCache(sqlite: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/** True when the error is a unique-constraint violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | undefined;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when the error is a foreign-key violation on either engine (a parent row is gone). */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string } | undefined;
  return e?.code === '23503' || e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** Which engine a Kysely instance talks to (migrations get only the instance). */
export function engineOf(db: Kysely<any>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * The column type of a search key that prefix ranges (`>= p AND < next(p)`) can use: byte-wise
 * (code point) order on both engines. SQLite's default BINARY collation already is; PostgreSQL's
 * database collation usually is not, so the column says COLLATE "C".
 */
export function searchKeyType(engine: Engine) {
  return engine === 'postgres' ? sql`text collate "C"` : sql`text`;
}

/** A column of raw bytes (read back as a Buffer on both engines). */
export function bytesType(engine: Engine) {
  return engine === 'postgres' ? sql`bytea` : sql`blob`;
}

/** SQLite keeps a table keyed by its primary key without a separate rowid tree; PostgreSQL has no such option. */
export function clusteredByPrimaryKey(engine: Engine) {
  return engine === 'sqlite' ? sql`without rowid` : sql``;
}
