import type { FastifyBaseLogger } from 'fastify';
import type { Agent } from 'undici';
import { generateApiKey } from '../../shared/api-key.js';
import type { Account, AccountTestResult, AccountView } from '../../shared/accounts.js';
import { bindHost, effectiveAuthMode, type ProxyConfig } from '../../shared/config.js';
import { LocalgateError } from '../../shared/errors.js';
import type { DaemonStatus, ProxyState } from '../../shared/status.js';
import { startDemoUpstream, type DemoUpstream } from '../demo/echo-upstream.js';
import { accountTestResult } from '../pipeline/account-test.js';
import { ModelCatalog } from '../pipeline/model-catalog.js';
import { SignatureMemory } from '../pipeline/signature-memory.js';
import { ResponseStore } from '../pipeline/response-store.js';
import { MonitorRing } from '../monitor/monitor-ring.js';
import { withoutBodies, type MonitorSink } from '../monitor/monitor-sink.js';
import { MonitorStatsSource } from '../monitor/monitor-stats.js';
import { RequestLog } from '../monitor/request-log.js';
import type { MonitorEntry, MonitorStats, StatsWindow } from '../../shared/monitor.js';
import { AccountPool } from '../pool/account-pool.js';
import { createUpstreamAgent } from '../providers/upstream-client.js';
import { buildProxyServer } from '../proxy/build-proxy-server.js';
import { ProxyListener } from '../proxy/proxy-listener.js';
import { loadAccounts, saveAccounts } from '../store/accounts-store.js';
import { loadConfig, saveConfig } from '../store/config-store.js';
import { dataFile, ensureDataDir } from '../store/data-dir.js';
import { VERSION } from '../version.js';
import * as edits from './edits.js';
import { toAccountView } from './account-view.js';
import type { ConfigView, HealthzResult, LocalgateApi } from './localgate-service.types.js';

export interface ServiceOptions {
  dataDir: string;
  /** Serve from an in-memory echo account only (never saved, never mixed with real accounts). */
  demo?: boolean;
  logger?: FastifyBaseLogger | false;
  /** Where problems the daemon's operator should see go (e.g. the request log cannot be written). */
  warn?: (message: string) => void;
}

/** How often request log files past retention are deleted (besides at start and on a retention change). */
const LOG_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Pool changes caused by traffic are announced at most this long after they happen, a burst of
 * them (every request of a busy minute failing over) as one `status` event.
 */
const POOL_CHANGE_COALESCE_MS = 100;

/**
 * The running product: config and accounts (files are the truth, written atomically on every
 * change), the account pool, and the proxy's lifecycle. Control handlers and tests drive it.
 */
export class LocalgateService implements LocalgateApi {
  readonly dataDir: string;
  #config: ProxyConfig;
  #accounts: Account[];
  readonly #pool: AccountPool;
  readonly #models: ModelCatalog;
  readonly #agent: Agent;
  readonly #listener: ProxyListener;
  readonly #demo: DemoUpstream | undefined;
  readonly #listeners = new Set<(status: DaemonStatus) => void>();
  readonly #configListeners = new Set<(config: ConfigView) => void>();
  readonly #monitor = new MonitorRing(1000);
  readonly #startedAt = Date.now();
  readonly #requestLog: RequestLog;
  readonly #stats: MonitorStatsSource;
  readonly #warn: (message: string) => void;
  #pruneTimer: NodeJS.Timeout | undefined;
  #poolChangeTimer: NodeJS.Timeout | undefined;
  readonly #stopWatchingPool: () => void;
  #lastError: ProxyState['last_error'];
  /** Serialises start/stop/re-bind so overlapping control messages cannot interleave binds. */
  #lifecycle: Promise<unknown> = Promise.resolve();

  private constructor(options: ServiceOptions, demo: DemoUpstream | undefined) {
    this.dataDir = ensureDataDir(options.dataDir);
    this.#config = loadConfig(this.dataDir);
    this.#accounts = loadAccounts(this.dataDir);
    this.#demo = demo;
    this.#pool = new AccountPool(this.#poolAccounts());
    this.#applyPoolPolicy();
    this.#stopWatchingPool = this.#pool.onChange(() => this.#announcePoolChange());
    this.#agent = createUpstreamAgent(() => this.#config.connect_timeout_s * 1000);
    this.#warn = options.warn ?? (() => undefined);
    const logDir = dataFile(this.dataDir, 'logs');
    this.#requestLog = new RequestLog({ dir: logDir, retentionDays: () => this.#config.log_retention_days, onError: (error) => this.#warn(`Request log: ${error.message}`) });
    this.#stats = new MonitorStatsSource({ ring: this.#monitor, logDir, startedAt: this.#startedAt });
    // The log gets each entry whole (captured bodies included); the ring, and so the control
    // protocol's events, get it without bodies (see monitor-sink.ts).
    const monitor: MonitorSink = {
      push: (entry) => {
        this.#requestLog.append(entry);
        this.#monitor.push(withoutBodies(entry));
      },
    };
    // A fetched list changes an account's model count, which the status carries.
    this.#models = new ModelCatalog(this.#pool, this.#agent, () => this.#config.model_mapping, () => this.#announcePoolChange());
    const signatures = new SignatureMemory(() => this.#config.signature_cache_size);
    const responses = new ResponseStore(() => this.#config.responses_store_size, () => this.#config.responses_store_ttl_seconds * 1000);
    const deps = { config: () => this.#config, pool: this.#pool, upstream: this.#agent, models: this.#models, version: VERSION, monitor, signatures, responses };
    this.#listener = new ProxyListener(() => buildProxyServer(deps, { logger: options.logger || false }));
  }

  static async open(options: ServiceOptions): Promise<LocalgateService> {
    const demo = options.demo ? await startDemoUpstream() : undefined;
    let service: LocalgateService;
    try {
      service = new LocalgateService(options, demo);
    } catch (error) {
      await demo?.close();
      throw error;
    }
    await service.#pruneLogs();
    service.#pruneTimer = setInterval(() => void service.#pruneLogs(), LOG_PRUNE_INTERVAL_MS).unref();
    return service;
  }

  /** Deletes request log files past retention; a failure is reported, never fatal. */
  async #pruneLogs(): Promise<void> {
    await this.#requestLog.prune().catch((error: unknown) => this.#warn(`Request log: could not delete old files: ${(error as Error).message}`));
  }

  /** Demo mode serves from the echo account alone, so no demo request ever reaches a real key. */
  #poolAccounts(): Account[] {
    return this.#demo ? [this.#demo.account] : this.#accounts;
  }

  config(): ProxyConfig {
    return this.#config;
  }

  configView(): ConfigView {
    return { ...this.#config, model_mapping: { ...this.#config.model_mapping } };
  }

  async updateConfig(patch: unknown): Promise<ConfigView> {
    const next = edits.applyConfigPatch(this.#config, patch);
    const previous = this.#config;
    saveConfig(this.dataDir, next);
    this.#config = next;
    this.#applyPoolPolicy();
    if (previous.log_retention_days !== next.log_retention_days) void this.#pruneLogs();
    const rebind = this.#listener.address && (previous.port !== next.port || previous.allow_lan_access !== next.allow_lan_access);
    if (rebind) await this.#serialised(() => this.#bind());
    this.#emit();
    const view = this.configView();
    for (const listener of this.#configListeners) listener(view);
    return view;
  }

  /** The pool reads scheduling from the config; a change applies to the next request. */
  #applyPoolPolicy(): void {
    this.#pool.setPolicy({ scheduling: this.#config.scheduling, preferredAccount: this.#config.preferred_account ?? undefined });
  }

  regenerateApiKey(): Promise<ConfigView> {
    return this.updateConfig({ api_key: generateApiKey() });
  }

  listAccounts(): AccountView[] {
    const demo = this.#demo ? [{ ...this.#view(this.#demo.account), demo: true }] : [];
    return [...demo, ...this.#accounts.map((account) => this.#view(account))];
  }

  addAccount(input: unknown): AccountView {
    const { accounts, added } = edits.addAccount(this.#accounts, input);
    this.#saveAccounts(accounts);
    this.#refreshModels(added);
    return this.#view(added);
  }

  removeAccount(id: string): void {
    this.#saveAccounts(edits.removeAccount(this.#accounts, id));
  }

  updateAccount(id: string, edit: unknown): AccountView {
    const before = edits.findAccount(this.#accounts, id);
    const { accounts, changed } = edits.updateAccount(this.#accounts, id, edit);
    // A rejected key or an unreachable URL says nothing about the new one: try it afresh.
    const newUpstream = changed.api_key !== before.api_key || changed.base_url !== before.base_url;
    if (newUpstream) this.#pool.reset(id);
    this.#saveAccounts(accounts);
    if (newUpstream && changed.enabled) this.#refreshModels(changed);
    return this.#view(changed);
  }

  setAccountEnabled(id: string, enabled: boolean): AccountView {
    const { accounts, changed } = edits.setAccountEnabled(this.#accounts, id, enabled);
    // Re-enabling is the user's "try again": clear cooling and rejection too.
    if (enabled) this.#pool.reset(id);
    this.#saveAccounts(accounts);
    if (enabled) this.#refreshModels(changed);
    return this.#view(changed);
  }

  resetAccount(id: string): AccountView {
    const account = this.#demo?.account.id === id ? this.#demo.account : edits.findAccount(this.#accounts, id);
    this.#pool.reset(id);
    this.#refreshModels(account);
    this.#emit();
    const view = this.#view(account);
    return this.#demo?.account.id === id ? { ...view, demo: true } : view;
  }

  async testAccount(id: string): Promise<AccountTestResult> {
    const account = this.#demo?.account.id === id ? this.#demo.account : edits.findAccount(this.#accounts, id);
    return accountTestResult(account, await this.#models.refresh(account));
  }

  #saveAccounts(accounts: Account[]): void {
    saveAccounts(this.dataDir, accounts);
    this.#accounts = accounts;
    this.#pool.setAccounts(this.#poolAccounts());
    this.#models.retain(this.#poolAccounts());
    this.#emit();
  }

  fetchModelLists(): void {
    for (const account of this.#poolAccounts()) if (account.enabled) this.#refreshModels(account);
  }

  /** Fetches the account's model list in the background; only for accounts that serve (demo mode asks no real key). */
  #refreshModels(account: Account): void {
    if (this.#poolAccounts().some((served) => served.id === account.id)) void this.#models.refresh(account);
  }

  #view(account: Account): AccountView {
    return toAccountView(account, this.#pool.stateOf(account.id), this.#pool.modelsCooling(account.id), this.#models.modelCount(account));
  }

  startProxy(): Promise<DaemonStatus> {
    return this.#serialised(async () => {
      if (this.#pool.enabledCount() === 0) {
        const error = new LocalgateError('NO_ACCOUNTS');
        this.#lastError = error.toPayload();
        this.#emit();
        throw error;
      }
      await this.#bind();
      this.#emit();
      return this.status();
    });
  }

  stopProxy(): Promise<DaemonStatus> {
    return this.#serialised(async () => {
      await this.#listener.stop();
      this.#emit();
      return this.status();
    });
  }

  async #bind(): Promise<void> {
    const host = bindHost(this.#config);
    try {
      await this.#listener.start(host, this.#config.port);
      this.#lastError = undefined;
    } catch (error) {
      if (error instanceof LocalgateError) this.#lastError = error.toPayload();
      this.#emit();
      throw error;
    }
  }

  #serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#lifecycle.then(task, task);
    this.#lifecycle = run.catch(() => undefined);
    return run;
  }

  status(): DaemonStatus {
    const address = this.#listener.address;
    const proxy: ProxyState = address
      ? { state: 'running', host: address.host, port: address.port, url: `http://${displayHost(address.host)}:${address.port}` }
      : { state: 'stopped', host: bindHost(this.#config), port: this.#config.port };
    if (this.#lastError) proxy.last_error = this.#lastError;
    return {
      daemon: { pid: process.pid, version: VERSION, data_dir: this.dataDir, started_at: this.#startedAt },
      proxy,
      active_accounts: this.#pool.activeCount(),
      accounts: this.listAccounts(),
    };
  }

  /** Calls the proxy's own /healthz over the network, the way a client would. */
  async healthzCheck(): Promise<HealthzResult> {
    const address = this.#listener.address;
    const url = `http://${displayHost(address?.host ?? bindHost(this.#config))}:${address?.port ?? this.#config.port}/healthz`;
    const started = performance.now();
    try {
      const headers: Record<string, string> = effectiveAuthMode(this.#config) === 'strict' ? { authorization: `Bearer ${this.#config.api_key}` } : {};
      const { origin, pathname } = new URL(url);
      const response = await this.#agent.request({ origin, path: pathname, method: 'GET', headers, headersTimeout: 5_000, bodyTimeout: 5_000 });
      const body = await response.body.text();
      const latency_ms = Math.round((performance.now() - started) * 10) / 10;
      const ok = response.statusCode === 200;
      return ok ? { ok, url, status: response.statusCode, body, latency_ms } : { ok, url, status: response.statusCode, body, latency_ms, error: `HTTP ${response.statusCode}` };
    } catch (error) {
      const latency_ms = Math.round((performance.now() - started) * 10) / 10;
      const code = (error as { code?: string }).code ?? 'request failed';
      const reason = code === 'ECONNREFUSED' ? 'connection refused (is the proxy running?)' : code;
      return { ok: false, url, latency_ms, error: reason };
    }
  }

  recentRequests(limit?: number): MonitorEntry[] {
    return this.#monitor.recent(limit);
  }

  onMonitorEntry(listener: (entry: MonitorEntry) => void): () => void {
    return this.#monitor.onEntry(listener);
  }

  monitorStats(window: StatsWindow): Promise<MonitorStats> {
    return this.#stats.snapshot(window);
  }

  onStatus(listener: (status: DaemonStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onConfig(listener: (config: ConfigView) => void): () => void {
    this.#configListeners.add(listener);
    return () => this.#configListeners.delete(listener);
  }

  /** An account started or stopped resting, or its key was rejected: control clients hear it shortly. */
  #announcePoolChange(): void {
    if (this.#poolChangeTimer) return;
    this.#poolChangeTimer = setTimeout(() => {
      this.#poolChangeTimer = undefined;
      this.#emit();
    }, POOL_CHANGE_COALESCE_MS);
    this.#poolChangeTimer.unref();
  }

  #emit(): void {
    if (this.#listeners.size === 0) return;
    const snapshot = this.status();
    for (const listener of this.#listeners) listener(snapshot);
  }

  async close(): Promise<void> {
    await this.#serialised(() => this.#listener.stop());
    clearInterval(this.#pruneTimer);
    this.#stopWatchingPool();
    clearTimeout(this.#poolChangeTimer);
    // After the proxy: the entries of requests that finished while it stopped are written too.
    await this.#requestLog.close().catch((error: unknown) => this.#warn(`Request log: ${(error as Error).message}`));
    this.#models.close();
    await this.#agent.close().catch(() => undefined);
    await this.#demo?.close();
    this.#listeners.clear();
    this.#configListeners.clear();
  }
}

/** A wildcard bind is reached through loopback from this machine. */
function displayHost(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host;
}
