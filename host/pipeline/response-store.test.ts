import { describe, expect, it } from 'vitest';
import { conversationItems, ResponseStore } from './response-store.js';

describe('ResponseStore', () => {
  it('keeps the newest responses up to its size, the oldest out first', () => {
    let size = 2;
    const store = new ResponseStore(() => size, () => 60_000);
    store.remember('a', { parent: undefined, items: ['a'] }, 1);
    store.remember('b', { parent: undefined, items: ['b'] }, 1);
    store.remember('c', { parent: undefined, items: ['c'] }, 1);
    expect([store.turn('a'), store.turn('b')?.items, store.turn('c')?.items]).toEqual([undefined, ['b'], ['c']]);
    size = 1;
    expect(store.turn('b')).toBeUndefined();
    expect(store.size).toBe(1);
  });

  it('forgets a response once its TTL has passed, counted from when it was stored', () => {
    let now = 1_000;
    const store = new ResponseStore(() => 10, () => 500, { now: () => now });
    store.remember('a', { parent: undefined, items: [] }, 1);
    now = 1_400;
    store.remember('b', { parent: undefined, items: [] }, 1);
    now = 1_499;
    expect(store.turn('a')).toBeDefined();
    now = 1_500;
    expect(store.turn('a')).toBeUndefined();
    expect(store.turn('b')).toBeDefined();
    expect(store.size).toBe(1);
  });

  it('does not follow an entry a shorter TTL has expired, even when it is not the oldest', () => {
    let now = 0;
    let ttl = 10_000;
    const store = new ResponseStore(() => 10, () => ttl, { now: () => now });
    store.remember('old', { parent: undefined, items: [] }, 1);
    ttl = 100;
    store.remember('new', { parent: undefined, items: [] }, 1);
    now = 200;
    expect(store.turn('new')).toBeUndefined();
    expect(store.turn('old')).toBeDefined();
  });

  it('lets the oldest go when the stored turns pass the byte budget', () => {
    const store = new ResponseStore(() => 100, () => 60_000, { maxBytes: 1000 });
    store.remember('a', { parent: undefined, items: [] }, 600);
    store.remember('b', { parent: undefined, items: [] }, 300);
    expect(store.size).toBe(2);
    store.remember('c', { parent: undefined, items: [] }, 200);
    expect([store.turn('a'), store.turn('b'), store.turn('c')].map(Boolean)).toEqual([false, true, true]);
    // Storing an id again replaces its bytes rather than adding to them.
    store.remember('b', { parent: undefined, items: [] }, 300);
    expect(store.size).toBe(2);
  });

  it('stores nothing at size 0', () => {
    const store = new ResponseStore(() => 0, () => 60_000);
    store.remember('a', { parent: undefined, items: [] }, 1);
    expect(store.enabled).toBe(false);
    expect(store.turn('a')).toBeUndefined();
  });

  it('keeps a conversation whole while its latest turn is stored, though earlier turns left the store', () => {
    const store = new ResponseStore(() => 1, () => 60_000);
    store.remember('r1', { parent: undefined, items: ['u1', 'a1'] }, 1);
    store.remember('r2', { parent: store.turn('r1'), items: ['u2', 'a2'] }, 1);
    expect(store.turn('r1')).toBeUndefined();
    expect(conversationItems(store.turn('r2')!)).toEqual(['u1', 'a1', 'u2', 'a2']);
  });
});
