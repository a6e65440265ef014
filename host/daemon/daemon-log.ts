/**
 * What the foreground daemon tells the person who started it. Plain lines on stdout (the daemon's
 * own terminal, or /dev/null when the native relay starts it detached). Nothing secret is ever
 * passed in: callers log messages of LocalgateErrors, which are safe by contract.
 */
export interface DaemonLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createDaemonLog(out: NodeJS.WritableStream = process.stdout): DaemonLog {
  const line = (message: string) => void out.write(`${message}\n`);
  return { info: line, warn: line, error: line };
}
