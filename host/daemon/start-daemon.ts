import type { FastifyInstance } from 'fastify';
import { LocalgateError } from '../../shared/errors.js';
import { buildControlServer, CONTROL_HOST } from '../control/build-control-server.js';
import { LocalgateService } from '../service/localgate-service.js';
import type { LocalgateApi } from '../service/localgate-service.types.js';
import { ensureControlToken } from '../store/control-token.js';
import { readLiveDaemonFile, removeDaemonFile, writeDaemonFile } from '../store/daemon-file.js';
import { acquireDaemonLock } from '../store/daemon-lock.js';
import { removeLeftoverTempFiles } from '../store/leftover-temp-files.js';
import { VERSION } from '../version.js';
import { createDaemonLog, type DaemonLog } from './daemon-log.js';
import { startProxyAndReport } from './start-proxy-and-report.js';
import { startProxyWhenAccountsAppear } from './start-proxy-when-accounts-appear.js';

export interface DaemonOptions {
  dataDir: string;
  /** Proxy port; saved into config.json before the proxy starts (it is a setting, not a one-off). */
  port?: number;
  /** Serve from the in-memory echo account only. */
  demo?: boolean;
  /** Control server port; 0 (the default) lets the OS pick a free one. */
  controlPort?: number;
  log?: DaemonLog;
}

/** A started daemon. `stop` is idempotent; `stopped` settles once it has finished. */
export interface RunningDaemon {
  readonly api: LocalgateApi;
  readonly controlPort: number;
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the daemon for one data directory: service, control server, the proxy, then daemon.json.
 * The proxy failing to start (no accounts, port busy) is reported and the daemon stays up, since
 * the fix is made through the control API. Anything that fails before the control server listens
 * is thrown, with whatever was opened closed again.
 */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const { dataDir } = options;
  const log = options.log ?? createDaemonLog();
  // The lock makes "one daemon per data dir" hold even for daemons started at the same instant;
  // daemon.json only says where the winner listens (and is still checked, for a daemon too old
  // to take the lock).
  const lock = await acquireDaemonLock(dataDir);
  try {
    const running = readLiveDaemonFile(dataDir);
    if (running && running.pid !== process.pid) {
      throw new LocalgateError(
        'DAEMON_ALREADY_RUNNING',
        `A Localgate daemon is already running for this data directory (pid ${running.pid}, ${dataDir}). Stop it with "localgate shutdown" first.`,
      );
    }
    removeLeftoverTempFiles(dataDir);
    const token = ensureControlToken(dataDir);
    const api = await LocalgateService.open({ dataDir, demo: options.demo ?? false, logger: false, warn: (message) => log.warn(message) });
    return await startHoldingLock(options, log, api, token, () => lock.release());
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function startHoldingLock(options: DaemonOptions, log: DaemonLog, api: LocalgateApi, token: string, releaseLock: () => void): Promise<RunningDaemon> {
  const { dataDir } = options;

  let stopping: Promise<void> | undefined;
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const stop = (): Promise<void> => (stopping ??= shutdown().finally(resolveStopped));

  let control: FastifyInstance | undefined;
  let stopAutoStart = () => {};
  async function shutdown(): Promise<void> {
    stopAutoStart();
    // The control server closes first so no message can restart the proxy while it drains.
    await control?.close().catch((error: unknown) => log.error(`Closing the control server failed: ${(error as Error).message}`));
    await api.close().catch((error: unknown) => log.error(`Closing the proxy failed: ${(error as Error).message}`));
    removeDaemonFile(dataDir, process.pid);
    releaseLock();
  }

  try {
    if (options.port !== undefined) await api.updateConfig({ port: options.port });
    control = buildControlServer({ api, token, onShutdown: () => void stop(), log });
    await listenControl(control, options.controlPort ?? 0);
  } catch (error) {
    await control?.close().catch(() => undefined);
    await api.close();
    throw error;
  }
  const controlPort = (control.server.address() as { port: number }).port;
  // daemon.json is written once the proxy has started (or failed to), before that is reported: a
  // client that finds it connects to a daemon with nothing left to do, and its first answer already
  // says whether the proxy runs. Written earlier, the relay's handshake waited on the proxy's
  // start-up anyway (the relay starting a daemon: 539 → 489 ms in the start-up bench).
  const announceDaemon = () => {
    writeDaemonFile(dataDir, { pid: process.pid, control_port: controlPort, started_at: Date.now(), version: VERSION });
    log.info(`Localgate daemon ${VERSION} running (pid ${process.pid}, data dir ${dataDir}, control ${CONTROL_HOST}:${controlPort})`);
  };
  const started = await startProxyAndReport(api, log, { demo: options.demo ?? false, beforeReport: announceDaemon });
  if (!started) stopAutoStart = startProxyWhenAccountsAppear(api, log);
  // After the proxy is up (or could not be), so its first /healthz does not wait for them; the
  // popup's model counts arrive a moment later.
  api.fetchModelLists();

  return { api, controlPort, stopped, stop };
}

async function listenControl(control: FastifyInstance, port: number): Promise<void> {
  try {
    await control.listen({ host: CONTROL_HOST, port });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new LocalgateError('BIND_FAILED', `Failed to start control server: failed to bind address ${CONTROL_HOST}:${port}: ${reason}`, { cause: error });
  }
}

/** LOCALGATE_CONTROL_PORT pins the control port (for firewalled setups and debugging); unset means ephemeral. */
export function controlPortFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.LOCALGATE_CONTROL_PORT;
  if (value === undefined || value === '') return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new LocalgateError('INVALID_CONFIG', `LOCALGATE_CONTROL_PORT must be a port number (0-65535), got "${value}"`);
  }
  return port;
}
