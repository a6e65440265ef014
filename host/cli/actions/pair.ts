import { CONTROL_WS_PATH } from '../../../shared/control/control-websocket.js';
import { formatPairingString } from '../../../shared/control/pairing.js';
import { LocalgateError } from '../../../shared/errors.js';
import { ensureControlToken } from '../../store/control-token.js';
import { readLiveDaemonFile } from '../../store/daemon-file.js';
import { resolveDataDir } from '../../store/data-dir.js';
import { printLine, printNote } from '../output.js';

export function runPair(): void {
  const dataDir = resolveDataDir();
  const daemon = readLiveDaemonFile(dataDir);
  if (!daemon) throw new LocalgateError('DAEMON_UNREACHABLE', 'No Localgate daemon is running: start it with "npx localgate serve" first');
  const token = ensureControlToken(dataDir);
  printLine(formatPairingString({ url: `ws://127.0.0.1:${daemon.control_port}${CONTROL_WS_PATH}`, token }));
  printNote('Paste it into the Localgate popup. It holds a secret: do not share it. Set LOCALGATE_CONTROL_PORT to keep the port (and this string) across daemon restarts.');
}
