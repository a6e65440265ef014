import type { ControlMessageType, ControlPayload, ControlResult } from '../../shared/control/messages.js';
import { MonitorEntrySchema } from '../../shared/monitor.js';
import type { LocalgateApi } from '../service/localgate-service.types.js';

/** What a handler may ask of the connection and daemon beyond the service itself. */
export interface ControlContext {
  /** Starts the daemon's graceful shutdown once the current reply has been sent. */
  requestShutdown(): void;
}

/** One control message type's handler: payload already validated, result validated after. */
export type ControlHandler<T extends ControlMessageType> = (
  api: LocalgateApi,
  payload: ControlPayload<T>,
  context: ControlContext,
) => ControlResult<T> | Promise<ControlResult<T>>;

/**
 * Every control message type mapped to the service call that answers it. The mapped type makes
 * a message added to CONTROL_MESSAGES without a handler a compile error.
 */
export const CONTROL_HANDLERS: { [T in ControlMessageType]: ControlHandler<T> } = {
  'proxy.start': (api) => api.startProxy(),
  'proxy.stop': (api) => api.stopProxy(),
  'proxy.status': (api) => api.status(),
  'config.get': (api) => api.configView(),
  'config.update': (api, patch) => api.updateConfig(patch),
  'apiKey.generate': (api) => api.regenerateApiKey(),
  // Read and patch happen in one synchronous step of the daemon: no other edit can slip between.
  'cors.allowOrigin': (api, { origin }) => {
    const origins = api.configView().cors_allowed_origins;
    return origins.includes(origin) ? api.configView() : api.updateConfig({ cors_allowed_origins: [...origins, origin] });
  },
  'cors.removeOrigin': (api, { origin }) =>
    api.updateConfig({ cors_allowed_origins: api.configView().cors_allowed_origins.filter((listed) => listed !== origin) }),
  'accounts.list': (api) => api.listAccounts(),
  'accounts.add': (api, account) => api.addAccount(account),
  'accounts.remove': (api, { id }) => {
    api.removeAccount(id);
    return { removed: id };
  },
  'accounts.setEnabled': (api, { id, enabled }) => api.setAccountEnabled(id, enabled),
  'accounts.update': (api, { id, ...edit }) => api.updateAccount(id, edit),
  'accounts.reset': (api, { id }) => api.resetAccount(id),
  'accounts.test': (api, { id }) => api.testAccount(id),
  'healthz.check': (api) => api.healthzCheck(),
  // Parsed by the entry schema so nothing beyond its fields can leave (the wire schema is loose).
  'monitor.recent': (api, payload) => MonitorEntrySchema.array().parse(api.recentRequests(payload?.limit)),
  'monitor.stats': (api, { window }) => api.monitorStats(window),
  'daemon.shutdown': (_api, _payload, context) => {
    context.requestShutdown();
    return { stopping: true };
  },
};
