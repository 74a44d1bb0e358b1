import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { openStoreFixture, type StoreFixture } from './store-fixtures.js';

describe('SettingsStore contract', () => {
  let fixture: StoreFixture;

  beforeAll(async () => {
    fixture = await openStoreFixture();
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('returns undefined for a key never stored', async () => {
    expect(await fixture.store.settings.get('never-stored')).toBeUndefined();
  });

  it('stores the first value and keeps it against later ones', async () => {
    const settings = fixture.store.settings;
    expect(await settings.putIfAbsent('first-wins', 'one', new Date())).toBe('one');
    expect(await settings.putIfAbsent('first-wins', 'two', new Date())).toBe('one');
    expect(await settings.get('first-wins')).toBe('one');
  });

  it('keeps values byte for byte (long, unicode, quotes)', async () => {
    const value = `v1:${'x'.repeat(10_000)} ü ✓ 'quoted' "double" \\ \n end`;
    expect(await fixture.store.settings.putIfAbsent('exact', value, new Date())).toBe(value);
    expect(await fixture.store.settings.get('exact')).toBe(value);
  });

  it('two nodes racing putIfAbsent agree on one value', async () => {
    // Separate stores have separate connections, as two booting nodes would.
    const nodes: Store[] = [fixture.store, await fixture.openAnother(), await fixture.openAnother()];
    for (let round = 0; round < 10; round++) {
      const key = `race-${round}`;
      const offered = nodes.map((_, i) => `node-${i}-value-${round}`);
      const answers = await Promise.all(nodes.map((node, i) => node.settings.putIfAbsent(key, offered[i]!, new Date())));
      // Everyone sees the same value, it is one that was offered, and it is what is stored.
      expect(new Set(answers).size).toBe(1);
      expect(offered).toContain(answers[0]);
      for (const node of nodes) expect(await node.settings.get(key)).toBe(answers[0]);
    }
  });
});
