import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from './config.js';

/** The certificate and key for HTTPS, read from the configured files; undefined without TLS. */
export function tlsOptionsOf(config: Pick<Config, 'tlsCertFile' | 'tlsKeyFile'>): { cert: Buffer; key: Buffer } | undefined {
  if (!config.tlsCertFile || !config.tlsKeyFile) return undefined;
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new ConfigError(`cannot read the TLS ${what} file ${file}: ${(error as Error).message}`);
    }
  };
  return { cert: read(config.tlsCertFile, 'certificate'), key: read(config.tlsKeyFile, 'key') };
}
