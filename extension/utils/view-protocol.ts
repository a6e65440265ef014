import type { ControlReply } from '../../shared/control/envelope';
import type { ControlMessageType, ControlPayload, ControlResult } from '../../shared/control/messages';
import type { DaemonStatus } from '../../shared/status';
import type { ConfigView } from './types';
import type { ErrorCode, ErrorPayload } from '../../shared/errors';
import type { MonitorEntry } from '../../shared/monitor';

/**
 * What travels between an extension view (popup, monitor) and the background worker over a
 * `browser.runtime.connect({name: VIEW_PORT_NAME})` port:
 *
 * - view → bg: a control request `{id, type, payload}`, where `type` is a daemon message
 *   (CONTROL_MESSAGES) or one the background answers itself (BACKGROUND_MESSAGES);
 * - bg → view: the reply `{id, ok, result | error}`, and events `{event, data}`: the daemon's
 *   (`status`, `config`, `monitor.entry`, already validated) and the background's own `connection`.
 */
export const VIEW_PORT_NAME = 'localgate-view';

export const CONNECTION_STATES = ['connecting', 'connected', 'native-host-missing', 'error'] as const;
export type ConnectionStateName = (typeof CONNECTION_STATES)[number];
export type TransportKind = 'native' | 'websocket';

export interface ConnectionInfo {
  state: ConnectionStateName;
  transport?: TransportKind;
  /** The error code behind an `error` or `native-host-missing` state. */
  code?: ErrorCode;
  /** Human text for the state (from the shared error set). */
  message?: string;
  /** Whether a WebSocket pairing is stored. */
  paired?: boolean;
}

/** Requests the background answers without the daemon (checked by background/background-messages.ts). */
export type BackgroundMessageType = keyof BackgroundResults;

export interface BackgroundResults {
  'connection.state': ConnectionInfo;
  /** Forget the current connection and try again (native first). */
  'connection.retry': ConnectionInfo;
  'pairing.set': { url: string };
  'pairing.clear': { cleared: true };
}
export interface BackgroundPayloads {
  'connection.state': Record<string, never> | undefined;
  'connection.retry': Record<string, never> | undefined;
  'pairing.set': { pairing: string };
  'pairing.clear': Record<string, never> | undefined;
}

export type ViewRequestType = ControlMessageType | BackgroundMessageType;
export type ViewPayload<T extends ViewRequestType> = T extends ControlMessageType
  ? ControlPayload<T>
  : T extends BackgroundMessageType
    ? BackgroundPayloads[T]
    : never;
export type ViewResult<T extends ViewRequestType> = T extends ControlMessageType
  ? ControlResult<T>
  : T extends BackgroundMessageType
    ? BackgroundResults[T]
    : never;

export type ViewReply<T> = { id: string; ok: true; result: T } | { id: string; ok: false; error: ErrorPayload };
/** A reply without its id, as request() resolves it. */
export type Outcome<T> = { ok: true; result: T } | { ok: false; error: ErrorPayload };

export interface ViewEvents {
  status: DaemonStatus;
  config: ConfigView;
  'monitor.entry': MonitorEntry;
  connection: ConnectionInfo;
}
export type ViewEventName = keyof ViewEvents;
export type ViewEvent = { [K in ViewEventName]: { event: K; data: ViewEvents[K] } }[ViewEventName];

export type { ControlReply };
