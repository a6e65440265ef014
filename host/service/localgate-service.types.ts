import type { AccountTestResult, AccountView } from '../../shared/accounts.js';
import type { ProxyConfig } from '../../shared/config.js';
import type { ControlResult } from '../../shared/control/messages.js';
import type { DaemonStatus } from '../../shared/status.js';
import type { MonitorEntry, MonitorStats, StatsWindow } from '../../shared/monitor.js';

export type ConfigView = ControlResult<'config.get'>;
export type HealthzResult = ControlResult<'healthz.check'>;

/**
 * What the daemon's control handlers (and tests) can ask of the running product. Implemented by
 * `LocalgateService` in ./localgate-service.ts. Every method validates its own input and throws
 * `LocalgateError` with a code from shared/errors.ts.
 */
export interface LocalgateApi {
  readonly dataDir: string;
  config(): ProxyConfig;
  configView(): ConfigView;
  /** Validates, saves atomically, applies live (re-binds the proxy if port/LAN changed while running). */
  updateConfig(patch: unknown): Promise<ConfigView>;
  regenerateApiKey(): Promise<ConfigView>;
  listAccounts(): AccountView[];
  addAccount(input: unknown): AccountView;
  removeAccount(id: string): void;
  /**
   * Changes label, base URL, models or key (validated like an added account); a new key or base
   * URL clears what the pool learnt about the old one. Throws ACCOUNT_NOT_FOUND, INVALID_ACCOUNT.
   */
  updateAccount(id: string, edit: unknown): AccountView;
  setAccountEnabled(id: string, enabled: boolean): AccountView;
  /**
   * Clears the account's cooldowns (per model too), failure streaks and an upstream's disabling
   * (rejected key, spent quota): it is tried on the next request. A user's disable stays.
   * Throws ACCOUNT_NOT_FOUND.
   */
  resetAccount(id: string): AccountView;
  /**
   * One call to the provider's model list with the account's key (joining a fetch already on its
   * way): works (and the account's model count, kept for the status), key rejected, unreachable,
   * or the provider's words. Changes no pool state. Throws ACCOUNT_NOT_FOUND.
   */
  testAccount(id: string): Promise<AccountTestResult>;
  /**
   * Fetches every enabled account's model list in the background (their model counts are in the
   * status). Called once by the daemon after its start, once the proxy answers: the first fetch is
   * also the first upstream connection, whose set-up (undici's HTTP parser) would otherwise delay
   * /healthz. Accounts added, re-enabled, edited or reset later are fetched then.
   */
  fetchModelLists(): void;
  /** Throws NO_ACCOUNTS or BIND_FAILED with the exact reference wording; the daemon stays up. */
  startProxy(): Promise<DaemonStatus>;
  stopProxy(): Promise<DaemonStatus>;
  status(): DaemonStatus;
  healthzCheck(): Promise<HealthzResult>;
  /** The most recent proxied requests, newest first. */
  recentRequests(limit?: number): MonitorEntry[];
  /** Called for every finished request. Returns an unsubscribe function. */
  onMonitorEntry(listener: (entry: MonitorEntry) => void): () => void;
  /**
   * Requests, errors, tokens per account and model, per-minute counts and latency percentiles of
   * the last hour or day, computed now from the ring and, when it does not reach back, the request log.
   */
  monitorStats(window: StatsWindow): Promise<MonitorStats>;
  /**
   * Called after every state change with a fresh snapshot: the user's changes at once, the
   * pool's (an account starts cooling, its key is rejected, a rest ends) within a second.
   * Returns an unsubscribe function.
   */
  onStatus(listener: (status: DaemonStatus) => void): () => void;
  /** Called with the config after every change (saved and applied). Returns an unsubscribe function. */
  onConfig(listener: (config: ConfigView) => void): () => void;
  /** Stops the proxy gracefully (in-flight requests finish, at most 5 s) and frees resources. */
  close(): Promise<void>;
}
