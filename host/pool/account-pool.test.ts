import { describe, expect, it } from 'vitest';
import type { Account } from '../../shared/accounts.js';
import { AccountPool } from './account-pool.js';

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
    expect(pool.stateOf('b')).toEqual({ state: 'disabled', reason: 'upstream rejected the key (HTTP 401)' });
    expect(pool.stateOf('c')).toEqual({ state: 'disabled', reason: 'disabled by user' });
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
