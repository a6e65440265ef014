import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Account } from '../../shared/accounts.js';
import { AccountPool, MODEL_UNSERVED_MS } from './account-pool.js';

function account(id: string, extra: Partial<Account> = {}): Account {
  return { id, provider: 'openai', label: id, base_url: 'http://127.0.0.1:1/v1', api_key: `key-${id}`, enabled: true, ...extra };
}

describe('AccountPool', () => {
  it('round-robins among ready accounts that serve the model', () => {
    const pool = new AccountPool([account('a'), account('b', { models: ['gpt-*'] }), account('c', { models: ['claude-*'] })]);
    const picks = Array.from({ length: 4 }, () => {
      const pick = pool.pick('gpt-4o');
      return pick.kind === 'account' ? pick.account.id : pick.kind;
    });
    expect(picks).toEqual(['a', 'b', 'a', 'b']);
  });

  it('skips disabled, cooling, rejected and excluded accounts, and those of other providers', () => {
    let now = 1_000;
    const pool = new AccountPool([account('a'), account('b'), account('c', { enabled: false }), account('d', { provider: 'anthropic' })], () => now);
    pool.markFailure('a', 'rate-limited', 'rate limited', 10_000);
    const pick = pool.pick('m', new Set(), ['openai']);
    expect(pick.kind === 'account' && pick.account.id).toBe('b');
    expect(pool.pick('m', new Set(['b']), ['openai'])).toEqual({ kind: 'exhausted', retryAt: 11_000 });
    now = 11_000;
    expect(pool.stateOf('a')).toEqual({ state: 'ready' });
    pool.markRejected('b', 'upstream rejected the key (HTTP 401)');
    expect(pool.stateOf('b')).toEqual({ state: 'disabled', kind: 'key-rejected', reason: 'upstream rejected the key (HTTP 401)' });
    expect(pool.stateOf('c')).toEqual({ state: 'disabled', kind: 'by-user', reason: 'disabled by user' });
    expect(pool.activeCount()).toBe(2); // a (rested) and d
  });

  it('reports why nothing can serve', () => {
    const pool = new AccountPool([account('a', { models: ['gpt-4o'] })]);
    expect(pool.pick('other')).toEqual({ kind: 'no-account-for-model' });
    pool.markRejected('a', 'key rejected');
    expect(pool.pick('gpt-4o')).toEqual({ kind: 'unavailable', reasons: ['key rejected'] });
    pool.reset('a');
    expect(pool.pick('gpt-4o').kind).toBe('account');
  });

  it('grows the backoff with the failure streak and clears it on success', () => {
    let now = 0;
    const pool = new AccountPool([account('a')], () => now);
    pool.markFailure('a', 'server-error', '500');
    expect(pool.stateOf('a')).toMatchObject({ state: 'cooling', until: 2_000 });
    now = 2_000;
    pool.markFailure('a', 'server-error', '500');
    expect(pool.stateOf('a')).toMatchObject({ state: 'cooling', until: 6_000 });
    now = 6_000;
    pool.markSuccess('a');
    pool.markFailure('a', 'server-error', '500');
    expect(pool.stateOf('a')).toMatchObject({ state: 'cooling', until: 8_000 });
  });

  it('keeps health across a hot reload of the account list', () => {
    const pool = new AccountPool([account('a'), account('b')]);
    pool.markRejected('a', 'bad key');
    pool.setAccounts([account('a'), account('b'), account('c')]);
    expect(pool.stateOf('a').state).toBe('disabled');
    pool.setAccounts([account('b')]);
    pool.setAccounts([account('a'), account('b')]);
    expect(pool.stateOf('a').state).toBe('ready');
  });
});

/** The ids `count` requests are served by, each succeeding (or the pick's kind when no account is picked). */
function picks(pool: AccountPool, count: number, model = 'm', options: { sessionKey?: string } = {}): string[] {
  return Array.from({ length: count }, () => {
    const pick = pool.pick(model, new Set(), undefined, options);
    if (pick.kind !== 'account') return pick.kind;
    pool.markSuccess(pick.account.id, model, options.sessionKey);
    return pick.account.id;
  });
}

describe('AccountPool failures by kind', () => {
  it('states carry the kind and the reason', () => {
    const pool = new AccountPool([account('a'), account('b'), account('c'), account('d')], () => 0);
    pool.markFailure('a', 'overloaded', 'overloaded (HTTP 529)');
    pool.markFailure('b', 'timeout', 'upstream timed out');
    pool.markFailure('c', 'quota-exhausted', 'quota exhausted (HTTP 429)');
    pool.markRejected('d', 'upstream rejected the key (HTTP 403)');
    expect(pool.stateOf('a')).toEqual({ state: 'cooling', until: 1_000, kind: 'overloaded', reason: 'overloaded (HTTP 529)' });
    expect(pool.stateOf('b')).toEqual({ state: 'cooling', until: 2_000, kind: 'timeout', reason: 'upstream timed out' });
    expect(pool.stateOf('c')).toEqual({ state: 'cooling', until: 60_000, kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 429)' });
    expect(pool.stateOf('d')).toEqual({ state: 'disabled', kind: 'key-rejected', reason: 'upstream rejected the key (HTTP 403)' });
  });

  it('a rejected key stays out until reset, whatever time passes', () => {
    let now = 0;
    const pool = new AccountPool([account('a'), account('b')], () => now);
    pool.markRejected('a', 'revoked key');
    now = 365 * 24 * 3600_000;
    expect(picks(pool, 2)).toEqual(['b', 'b']);
    pool.markRejected('b', 'bad key');
    expect(pool.pick('m')).toEqual({ kind: 'unavailable', reasons: ['revoked key', 'bad key'] });
    pool.reset('a');
    expect(picks(pool, 1)).toEqual(['a']);
  });

  it('honours a 429 hint; without one backs off 1 s, 2 s, 4 s …', () => {
    let now = 0;
    const pool = new AccountPool([account('a')], () => now);
    pool.markFailure('a', 'rate-limited', 'rate limited', 42_000);
    expect(pool.stateOf('a')).toMatchObject({ state: 'cooling', until: 42_000 });
    now = 42_000;
    pool.markFailure('a', 'rate-limited', 'rate limited');
    expect(pool.stateOf('a')).toMatchObject({ until: 42_000 + 2_000 }); // second failure in a row
  });

  it('caps overloaded backoff at 30 s, network errors at 2 min', () => {
    let now = 0;
    const pool = new AccountPool([account('a'), account('b')], () => now);
    for (let i = 0; i < 12; i++) {
      pool.markFailure('a', 'overloaded', '529');
      pool.markFailure('b', 'network-error', 'ECONNRESET');
      now += 10 * 60_000;
    }
    now -= 10 * 60_000;
    expect(pool.stateOf('a')).toMatchObject({ until: now + 30_000 });
    expect(pool.stateOf('b')).toMatchObject({ until: now + 2 * 60_000 });
  });

  it('never shortens a rest already running (a late 500 cannot cut a long 429)', () => {
    const pool = new AccountPool([account('a')], () => 0);
    pool.markFailure('a', 'rate-limited', 'rate limited (HTTP 429)', 3_600_000);
    pool.markFailure('a', 'server-error', 'upstream error (HTTP 500)');
    expect(pool.stateOf('a')).toEqual({ state: 'cooling', until: 3_600_000, kind: 'rate-limited', reason: 'rate limited (HTTP 429)' });
  });
});

describe('AccountPool per-model rate limits', () => {
  it('a 429 for a model rests only that (account, model) pair', () => {
    let now = 0;
    const pool = new AccountPool([account('a'), account('b')], () => now);
    pool.markFailure('a', 'rate-limited', 'rate limited (HTTP 429)', 5_000, 'gpt-4o');
    expect(pool.stateOf('a')).toEqual({ state: 'ready' });
    expect(pool.activeCount()).toBe(2);
    expect(pool.modelsCooling('a')).toEqual([{ model: 'gpt-4o', until: 5_000, kind: 'rate-limited', reason: 'rate limited (HTTP 429)' }]);
    expect(picks(pool, 3, 'gpt-4o')).toEqual(['b', 'b', 'b']);
    expect(picks(pool, 2, 'gpt-4o-mini')).toEqual(['a', 'b']);
    pool.markFailure('b', 'rate-limited', 'rate limited (HTTP 429)', 3_000, 'gpt-4o');
    expect(pool.pick('gpt-4o')).toEqual({ kind: 'exhausted', retryAt: 3_000 });
    now = 5_000;
    expect(pool.modelsCooling('a')).toEqual([]);
    expect(picks(pool, 2, 'gpt-4o')).toEqual(['a', 'b']);
  });

  it('a per-model quota or no-access rest keeps its kind; the account serves its other models', () => {
    let now = 0;
    const pool = new AccountPool([account('a'), account('b')], () => now);
    pool.markFailure('a', 'quota-exhausted', 'quota exhausted (HTTP 429)', 37_000, 'gemini-2.5-pro');
    pool.markFailure('a', 'forbidden', 'no access (HTTP 403)', undefined, 'gemini-3-pro-preview');
    expect(pool.stateOf('a')).toEqual({ state: 'ready' });
    expect(pool.modelsCooling('a')).toEqual([
      { model: 'gemini-2.5-pro', until: 37_000, kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 429)' },
      { model: 'gemini-3-pro-preview', until: 60_000, kind: 'forbidden', reason: 'no access (HTTP 403)' },
    ]);
    expect(picks(pool, 2, 'gemini-2.5-flash')).toEqual(['a', 'b']);
    expect(picks(pool, 2, 'gemini-2.5-pro')).toEqual(['b', 'b']);
    // No hint: a growing backoff, capped at an hour, and back by itself.
    for (const expected of [120_000, 240_000]) {
      now = pool.modelsCooling('a').find((c) => c.model === 'gemini-3-pro-preview')!.until;
      pool.markFailure('a', 'forbidden', 'no access (HTTP 403)', undefined, 'gemini-3-pro-preview');
      expect(pool.modelsCooling('a').find((c) => c.model === 'gemini-3-pro-preview')?.until).toBe(now + expected);
    }
    for (let i = 0; i < 8; i++) pool.markFailure('b', 'quota-exhausted', 'quota exhausted (HTTP 429)');
    expect(pool.stateOf('b')).toMatchObject({ state: 'cooling', until: now + 3_600_000, kind: 'quota-exhausted' });
    now += 3_600_000;
    expect(pool.stateOf('b')).toEqual({ state: 'ready' });
  });

  it('a model rest and an account rest combine: ready when both ended', () => {
    const pool = new AccountPool([account('a')], () => 0);
    pool.markFailure('a', 'rate-limited', '429', 9_000, 'gpt-4o');
    pool.markFailure('a', 'network-error', 'ECONNREFUSED');
    expect(pool.pick('gpt-4o')).toEqual({ kind: 'exhausted', retryAt: 9_000 });
    expect(pool.pick('other')).toEqual({ kind: 'exhausted', retryAt: 2_000 });
  });

  it('backs off per model without a hint, and a success for that model starts over', () => {
    let now = 0;
    const pool = new AccountPool([account('a')], () => now);
    pool.markFailure('a', 'rate-limited', '429', undefined, 'gpt-4o');
    expect(pool.modelsCooling('a')[0]?.until).toBe(1_000);
    now = 1_000;
    pool.markFailure('a', 'rate-limited', '429', undefined, 'gpt-4o');
    expect(pool.modelsCooling('a')[0]?.until).toBe(3_000);
    pool.markFailure('a', 'rate-limited', '429', undefined, 'o3');
    expect(pool.modelsCooling('a').map((c) => [c.model, c.until])).toEqual([
      ['o3', 2_000],
      ['gpt-4o', 3_000],
    ]);
    now = 3_000;
    pool.markSuccess('a', 'gpt-4o');
    pool.markFailure('a', 'rate-limited', '429', undefined, 'gpt-4o');
    expect(pool.modelsCooling('a')[0]).toMatchObject({ model: 'gpt-4o', until: 4_000 });
    // A success without a model clears every model's streak (their rests still run out by time).
    now = 4_000;
    pool.markFailure('a', 'rate-limited', '429', undefined, 'o3');
    expect(pool.modelsCooling('a').find((c) => c.model === 'o3')?.until).toBe(6_000); // o3's second in a row
    now = 6_000;
    pool.markSuccess('a');
    pool.markFailure('a', 'rate-limited', '429', undefined, 'o3');
    expect(pool.modelsCooling('a').find((c) => c.model === 'o3')?.until).toBe(7_000);
  });

  it('reset clears model rests too', () => {
    const pool = new AccountPool([account('a')], () => 0);
    pool.markFailure('a', 'rate-limited', '429', 60_000, 'gpt-4o');
    pool.reset('a');
    expect(pool.modelsCooling('a')).toEqual([]);
    expect(picks(pool, 1, 'gpt-4o')).toEqual(['a']);
  });
});

describe('AccountPool scheduling', () => {
  it('round_robin by default', () => {
    const pool = new AccountPool([account('a'), account('b'), account('c')]);
    expect(pool.policy()).toEqual({ scheduling: 'round_robin' });
    expect(picks(pool, 4)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('fill_first uses the first ready account in list order until it cools, then comes back to it', () => {
    let now = 0;
    const pool = new AccountPool([account('a'), account('b'), account('c')], () => now);
    pool.setPolicy({ scheduling: 'fill_first' });
    expect(picks(pool, 3)).toEqual(['a', 'a', 'a']);
    pool.markFailure('a', 'rate-limited', '429', 10_000);
    expect(picks(pool, 2)).toEqual(['b', 'b']);
    // Failover within one request still moves down the list.
    const pick = pool.pick('m', new Set(['b']));
    expect(pick.kind === 'account' && pick.account.id).toBe('c');
    now = 10_000;
    expect(picks(pool, 1)).toEqual(['a']);
  });

  it('fill_first skips an account resting for the model only', () => {
    const pool = new AccountPool([account('a'), account('b')], () => 0);
    pool.setPolicy({ scheduling: 'fill_first' });
    pool.markFailure('a', 'rate-limited', '429', 10_000, 'gpt-4o');
    expect(picks(pool, 2, 'gpt-4o')).toEqual(['b', 'b']);
    expect(picks(pool, 2, 'o3')).toEqual(['a', 'a']);
  });

  it('sticky keeps a session on the account that served it, spreads new sessions by round robin', () => {
    const pool = new AccountPool([account('a'), account('b')], () => 0);
    pool.setPolicy({ scheduling: 'sticky' });
    expect(picks(pool, 3, 'm', { sessionKey: 'one' })).toEqual(['a', 'a', 'a']);
    expect(picks(pool, 3, 'm', { sessionKey: 'two' })).toEqual(['b', 'b', 'b']);
    expect(picks(pool, 1, 'm', { sessionKey: 'one' })).toEqual(['a']);
    // Without a key, sticky is round robin.
    expect(picks(pool, 2)).toEqual(['a', 'b']);
  });

  it('sticky re-pins when the pinned account is not ready for the model, and stays on the new one', () => {
    let now = 0;
    const pool = new AccountPool([account('a'), account('b')], () => now);
    pool.setPolicy({ scheduling: 'sticky' });
    expect(picks(pool, 1, 'gpt-4o', { sessionKey: 's' })).toEqual(['a']);
    pool.markFailure('a', 'rate-limited', '429', 5_000, 'gpt-4o');
    expect(picks(pool, 2, 'gpt-4o', { sessionKey: 's' })).toEqual(['b', 'b']);
    now = 5_000;
    expect(picks(pool, 2, 'gpt-4o', { sessionKey: 's' })).toEqual(['b', 'b']);
    // A pinned account removed from the list is simply replaced.
    pool.setAccounts([account('a')]);
    expect(picks(pool, 1, 'gpt-4o', { sessionKey: 's' })).toEqual(['a']);
  });

  it('sticky pins a session when its request succeeds: failover moves it to the account that answers', () => {
    const pool = new AccountPool([account('a'), account('b')], () => 0);
    pool.setPolicy({ scheduling: 'sticky' });
    expect(picks(pool, 1, 'm', { sessionKey: 's' })).toEqual(['a']);
    const retry = pool.pick('m', new Set(['a']), undefined, { sessionKey: 's' });
    expect(retry.kind === 'account' && retry.account.id).toBe('b');
    // b has not answered yet: the session is still a's.
    const before = pool.pick('m', new Set(), undefined, { sessionKey: 's' });
    expect(before.kind === 'account' && before.account.id).toBe('a');
    pool.markSuccess('b', 'm', 's');
    expect(picks(pool, 2, 'm', { sessionKey: 's' })).toEqual(['b', 'b']);
    // A new session's first pick pins nothing until it succeeds either.
    const unanswered = pool.pick('m', new Set(), undefined, { sessionKey: 'new' });
    expect(unanswered.kind === 'account' && unanswered.account.id).toBe('a');
    expect(picks(pool, 1, 'm', { sessionKey: 'new' })).toEqual(['b']);
  });

  it('the preferred account goes first whenever it is ready for the model, in every mode', () => {
    let now = 0;
    const pool = new AccountPool([account('a'), account('b', { models: ['gpt-*'] }), account('c')], () => now);
    for (const scheduling of ['round_robin', 'fill_first', 'sticky'] as const) {
      pool.setPolicy({ scheduling, preferredAccount: 'b' });
      expect(picks(pool, 3, 'gpt-4o', { sessionKey: 'k' })).toEqual(['b', 'b', 'b']);
    }
    // Not serving the model: the mode decides (sticky here, the session pinned to b → re-pinned).
    expect(picks(pool, 2, 'claude-3', { sessionKey: 'k' })).toEqual(['a', 'a']);
    pool.setPolicy({ scheduling: 'round_robin', preferredAccount: 'b' });
    pool.markFailure('b', 'rate-limited', '429', 1_000, 'gpt-4o');
    expect(picks(pool, 2, 'gpt-4o')).toEqual(['c', 'a']);
    now = 1_000;
    expect(picks(pool, 1, 'gpt-4o')).toEqual(['b']);
    // An id that names no account is never ready, so it changes nothing.
    pool.setPolicy({ scheduling: 'fill_first', preferredAccount: 'nobody' });
    expect(picks(pool, 2, 'gpt-4o')).toEqual(['a', 'a']);
    // Cleared: the mode alone.
    pool.setPolicy({ scheduling: 'fill_first' });
    expect(pool.policy()).toEqual({ scheduling: 'fill_first' });
  });

  it('a policy change applies to the next pick', () => {
    const pool = new AccountPool([account('a'), account('b')]);
    expect(picks(pool, 2)).toEqual(['a', 'b']);
    pool.setPolicy({ scheduling: 'fill_first' });
    expect(picks(pool, 2)).toEqual(['a', 'a']);
    pool.setPolicy({ scheduling: 'round_robin', preferredAccount: 'b' });
    expect(picks(pool, 2)).toEqual(['b', 'b']);
  });
});

describe('AccountPool: what a success, a 404 and a display change', () => {
  it('a success never shortens a running rest (a request in flight succeeding after another got a 429)', () => {
    const pool = new AccountPool([account('a'), account('b')], () => 0);
    pool.markFailure('a', 'rate-limited', 'rate limited (HTTP 429)', 30_000, 'gpt-4o');
    pool.markFailure('b', 'server-error', 'upstream error (HTTP 500)', 20_000);
    pool.markSuccess('a', 'gpt-4o');
    pool.markSuccess('b', 'gpt-4o');
    pool.markSuccess('b');
    expect(pool.modelsCooling('a')).toMatchObject([{ model: 'gpt-4o', until: 30_000 }]);
    expect(pool.stateOf('b')).toMatchObject({ state: 'cooling', until: 20_000 });
    expect(pool.pick('gpt-4o')).toEqual({ kind: 'exhausted', retryAt: 20_000 });
  });

  it('readiness (for display and Retry-After) neither moves the round-robin cursor nor pins', () => {
    let now = 0;
    const pool = new AccountPool([account('a'), account('b'), account('c')], () => now);
    expect(picks(pool, 1)).toEqual(['a']);
    for (let i = 0; i < 5; i++) expect(pool.readiness('m')).toEqual({ kind: 'ready' });
    expect(picks(pool, 2)).toEqual(['b', 'c']);
    for (const id of ['a', 'b', 'c']) pool.markFailure(id, 'rate-limited', '429', 5_000 + id.charCodeAt(0), 'm');
    expect(pool.readiness('m')).toEqual({ kind: 'exhausted', retryAt: 5_000 + 'a'.charCodeAt(0) });
    expect(pool.readiness('other')).toEqual({ kind: 'ready' });
    expect(pool.readiness('m', ['anthropic'])).toEqual({ kind: 'no-account-for-model' });
    now = 10_000;
    expect(picks(pool, 1)).toEqual(['a']);
  });

  it('an account that said it does not serve a model is left out for it a while, then asked again', () => {
    let now = 0;
    const pool = new AccountPool([account('a'), account('b')], () => now);
    pool.markModelUnserved('a', 'gpt-5');
    expect(picks(pool, 2, 'gpt-5')).toEqual(['b', 'b']);
    expect(picks(pool, 2, 'gpt-4o')).toEqual(['a', 'b']);
    expect(pool.stateOf('a')).toEqual({ state: 'ready' });
    pool.markModelUnserved('b', 'gpt-5');
    expect(pool.pick('gpt-5')).toEqual({ kind: 'no-account-for-model' });
    now = MODEL_UNSERVED_MS;
    expect(picks(pool, 2, 'gpt-5')).toEqual(['a', 'b']);
    // A success for the model clears what the account said earlier; a reset clears it too.
    pool.markModelUnserved('a', 'gpt-5');
    pool.markSuccess('a', 'gpt-5');
    pool.markModelUnserved('b', 'gpt-5');
    expect(picks(pool, 2, 'gpt-5')).toEqual(['a', 'a']);
    pool.reset('b');
    expect(picks(pool, 2, 'gpt-5')).toEqual(['b', 'a']);
  });
});

describe('AccountPool change events', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('tells listeners when traffic changes an account, and again when a rest ends', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const pool = new AccountPool([account('a'), account('b')]);
    const seen: string[] = [];
    const stop = pool.onChange(() => seen.push(`${pool.stateOf('a').state}/${pool.modelsCooling('b').length}`));
    pool.markFailure('a', 'server-error', 'upstream error (HTTP 500)', 3_000);
    pool.markFailure('b', 'rate-limited', 'rate limited (HTTP 429)', 1_000, 'm');
    expect(seen).toEqual(['cooling/0', 'cooling/1']);
    pool.markSuccess('a');
    pool.markModelUnserved('a', 'x');
    expect(seen).toHaveLength(2); // nothing shown changed
    vi.advanceTimersByTime(999);
    expect(seen).toHaveLength(2);
    vi.advanceTimersByTime(2);
    expect(seen).toEqual(['cooling/0', 'cooling/1', 'cooling/0']);
    vi.advanceTimersByTime(2_000);
    expect(seen).toEqual(['cooling/0', 'cooling/1', 'cooling/0', 'ready/0']);
    pool.markRejected('b', 'upstream rejected the key (HTTP 401)');
    expect(seen).toHaveLength(5);
    // No listener, no timer.
    stop();
    pool.markFailure('a', 'server-error', 'upstream error (HTTP 500)', 3_000);
    expect(vi.getTimerCount()).toBe(0);
    expect(seen).toHaveLength(5);
  });
});
