import type { DaemonStatus } from '../../shared/status';
import { errorText } from '../utils/error-text';
import { proxyOrigin } from '../utils/format';
import { t } from '../utils/i18n';
import type { ConnectionInfo } from '../utils/view-protocol';
import type { ConnectionManager } from './connection-manager';

export interface Badge {
  text: string;
  title: string;
  color: string;
}

const COLORS = { running: '#15803d', stopped: '#6b7280', error: '#b91c1c' } as const;

/**
 * What the toolbar icon says: the port while running, `off` while stopped, `!` for an error
 * (a failed start, or no daemon to talk to), with the details in the title, in the UI's language.
 */
export function badgeFor(connection: ConnectionInfo, status: DaemonStatus | null): Badge {
  if (connection.state === 'native-host-missing' || connection.state === 'error') {
    return { text: '!', title: t('badgeError', { message: errorText(connection) || t('badgeNotConnected') }), color: COLORS.error };
  }
  if (!status) return { text: '', title: t('extName'), color: COLORS.stopped };
  const { proxy } = status;
  if (proxy.state === 'running') {
    return { text: String(proxy.port), title: t('badgeRunning', { address: proxyOrigin(proxy) }), color: COLORS.running };
  }
  if (proxy.last_error) return { text: '!', title: t('badgeError', { message: errorText(proxy.last_error) }), color: COLORS.error };
  return { text: t('badgeOff'), title: t('badgeStopped'), color: COLORS.stopped };
}

/** The subset of `browser.action` the badge uses. */
export interface ActionLike {
  setBadgeText(details: { text: string }): Promise<void> | void;
  setTitle(details: { title: string }): Promise<void> | void;
  setBadgeBackgroundColor(details: { color: string }): Promise<void> | void;
}

/**
 * Keeps the toolbar icon in step with the daemon: every pushed `status` and every connection
 * change repaints it, popup open or not. Each connection made asks for one status snapshot, since
 * the daemon pushes only changes; nothing is polled. It asks as the connection starts, not once it
 * is `connected`: a native port is `connected` only by a first message from the daemon, and the
 * relay sends none unasked, so with no view open the badge stayed blank after the browser started.
 */
export function followDaemonOnToolbar(manager: ConnectionManager, action: ActionLike): () => void {
  let status: DaemonStatus | null = null;
  let shown = '';
  let asking = false;
  const askForStatus = () => {
    if (asking) return; // A request waiting on a transport goes out again on the next one.
    asking = true;
    void manager.request('proxy.status').then((reply) => {
      asking = false;
      if (reply.ok) status = reply.result as DaemonStatus;
      paint();
    });
  };
  const paint = () => {
    const badge = badgeFor(manager.info, status);
    const key = JSON.stringify(badge);
    if (key === shown) return;
    shown = key;
    void action.setBadgeText({ text: badge.text });
    void action.setTitle({ title: badge.title });
    void action.setBadgeBackgroundColor({ color: badge.color });
  };
  const offEvent = manager.onEvent((event) => {
    if (event.event !== 'status') return;
    status = event.data;
    paint();
  });
  const offState = manager.onStateChange((info) => {
    // `connecting` over a transport: a connection is being made (not a retry's first, bare step).
    if (info.state === 'connecting' && info.transport) askForStatus();
    else if (info.state !== 'connected' && info.state !== 'connecting') status = null;
    paint();
  });
  paint();
  return () => {
    offEvent();
    offState();
  };
}
