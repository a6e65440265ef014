import type { Dispatcher } from 'undici';
import type { ProxyConfig } from '../../shared/config.js';
import type { AccountPool } from '../pool/account-pool.js';
import type { ModelCatalog } from '../pipeline/model-catalog.js';
import type { MonitorSink } from '../monitor/monitor-sink.js';
import type { SignatureMemory } from '../pipeline/signature-memory.js';
import type { ResponseStore } from '../pipeline/response-store.js';

/** What the proxy's routes need from the daemon; built once, shared by every request. */
export interface ProxyDeps {
  /** The live config: read per request so changes apply to the next request. */
  config(): ProxyConfig;
  pool: AccountPool;
  /** undici dispatcher for upstream calls (one keep-alive Agent). */
  upstream: Dispatcher;
  models: ModelCatalog;
  version: string;
  /** Where finished requests are recorded (a MonitorRing, or the daemon's ring + log); absent = no monitoring. */
  monitor?: MonitorSink;
  /** Signatures handed to clients, by tool-call id, to restore what a client drops (in memory only). */
  signatures: SignatureMemory;
  /** Responses API answers kept for `previous_response_id` (in memory only). */
  responses: ResponseStore;
}
