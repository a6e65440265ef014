import type { Agent as AgentType, buildConnector as BuildConnectorType } from 'undici';
import AgentClass from 'undici/lib/dispatcher/agent.js';
import api from 'undici/lib/api/index.js';
import buildConnectorFunction from 'undici/lib/core/connect.js';
import DispatcherClass from 'undici/lib/dispatcher/dispatcher.js';

/**
 * The part of undici Localgate uses: the Agent (a keep-alive pool per origin), its connector and
 * `dispatcher.request`. undici's index also loads fetch, WebSocket, EventSource, the caches and the
 * mocks, and with them Node's web streams: two to three times the load time and ~8 MB of resident
 * memory in every daemon, for nothing. So this module loads the three files it needs and, as
 * undici's index does, puts the request API (`request`, `stream`, …) on Dispatcher.prototype.
 * Types still come from 'undici' (type-only imports, erased at build).
 */
Object.assign(DispatcherClass.prototype, api);

export const Agent: typeof AgentType = AgentClass;
export type Agent = AgentType;
export const buildConnector: typeof BuildConnectorType = buildConnectorFunction;
