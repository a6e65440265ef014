import { describe, expect, it } from 'vitest';
import { describeAccountState } from './describe-state.js';

describe('describeAccountState', () => {
  const at = Date.parse('2026-11-26T10:42:05Z');

  it('says the account state, then each model it rests for', () => {
    expect(describeAccountState({ status: { state: 'ready' } })).toBe('ready');
    expect(describeAccountState({ status: { state: 'cooling', until: at, kind: 'rate-limited', reason: 'rate limited (HTTP 429)' } })).toBe(
      'cooling until 2026-11-26T10:42:05.000Z (rate limited (HTTP 429))',
    );
    expect(describeAccountState({ status: { state: 'disabled', kind: 'key-rejected', reason: 'upstream rejected the key (HTTP 401)' } })).toBe('disabled (upstream rejected the key (HTTP 401))');
    // A spent quota rests until the provider's reset, and says when.
    expect(describeAccountState({ status: { state: 'cooling', until: at, kind: 'quota-exhausted', reason: 'quota exhausted (HTTP 429)' } })).toBe(
      'cooling until 2026-11-26T10:42:05.000Z (quota exhausted (HTTP 429))',
    );
    expect(
      describeAccountState({
        status: { state: 'ready' },
        models_cooling: [
          { model: 'gpt-4o', until: at, kind: 'rate-limited', reason: 'rate limited' },
          { model: 'o3', until: at + 1_000, kind: 'rate-limited', reason: 'rate limited' },
        ],
      }),
    ).toBe('ready · gpt-4o cooling until 2026-11-26T10:42:05.000Z (rate limited) · o3 cooling until 2026-11-26T10:42:06.000Z (rate limited)');
  });
});
