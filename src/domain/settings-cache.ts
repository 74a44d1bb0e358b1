/**
 * A short-lived read cache for configuration that nearly every request reads and that changes
 * rarely: user pools and app clients. Each node forgets its own writes at once; other nodes may
 * serve the old settings for up to `ttlMs` (documented: one second), which is what Cognito's own
 * eventually consistent configuration looks like to a client. Absent rows are not cached.
 */
export class SettingsCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  // Freshness is measured on the monotonic clock, not the injectable business clock: tests that
  // move business time must not stretch or shrink how long settings stay cached.
  constructor(
    private readonly ttlMs = 1000,
    private readonly maxEntries = 10_000,
  ) {}

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const now = performance.now();
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > now) return hit.value;
    const value = await load();
    if (value === undefined) {
      this.entries.delete(key);
      return undefined;
    }
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, expiresAt: now + this.ttlMs });
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
