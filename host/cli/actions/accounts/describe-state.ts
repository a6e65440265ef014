import type { AccountView } from '../../../../shared/accounts.js';

/**
 * An account's health in words, per-model rests included:
 * `cooling until 2026-11-26T10:42:05.000Z (rate limited) · gpt-4o cooling until … (rate limited)`.
 */
export function describeAccountState(account: Pick<AccountView, 'status' | 'models_cooling'>): string {
  const { status } = account;
  const whole =
    status.state === 'ready'
      ? 'ready'
      : status.state === 'cooling'
        ? `cooling until ${new Date(status.until).toISOString()} (${status.reason})`
        : `disabled (${status.reason})`;
  const models = (account.models_cooling ?? []).map((cooling) => `${cooling.model} cooling until ${new Date(cooling.until).toISOString()} (${cooling.reason})`);
  return [whole, ...models].join(' · ');
}
