/**
 * The closed set of error codes that cross a process boundary (control replies, CLI exits, popup
 * messages). Each code has a human message the popup and CLI show as is, and the HTTP status the
 * proxy would use for it. Upstream failures are classified by code, never by message text.
 */
export const ERROR_CODES = {
  NO_ACCOUNTS: {
    status: 503,
    message: 'No available accounts, please add an account first',
  },
  BIND_FAILED: {
    status: 500,
    message: 'Failed to start proxy server: failed to bind address',
  },
  INVALID_CONFIG: { status: 400, message: 'Invalid configuration' },
  INVALID_ACCOUNT: { status: 400, message: 'Invalid account' },
  ACCOUNT_NOT_FOUND: { status: 404, message: 'No account with that id' },
  CORRUPT_DATA_FILE: { status: 500, message: 'A data file could not be read' },
  UNSAFE_PATH: { status: 500, message: 'A path Localgate would use is writable by other users or cannot be written safely' },
  INVALID_MESSAGE: { status: 400, message: 'Malformed control message' },
  UNKNOWN_MESSAGE: { status: 400, message: 'Unknown control message type' },
  NOT_PAIRED: {
    status: 401,
    message: 'This browser is not paired with the Localgate daemon (missing or wrong control token)',
  },
  ORIGIN_FORBIDDEN: { status: 403, message: 'This origin may not control Localgate' },
  DAEMON_UNREACHABLE: {
    status: 503,
    message: 'The Localgate daemon is not running and could not be started',
  },
  DAEMON_ALREADY_RUNNING: {
    status: 409,
    message: 'A Localgate daemon is already running for this data directory',
  },
  NATIVE_HOST_MISSING: {
    status: 503,
    message: 'The Localgate native host is not installed',
  },
  HEALTHZ_FAILED: { status: 502, message: 'The proxy did not answer /healthz' },
  PROXY_NOT_RUNNING: { status: 409, message: 'The proxy is not running' },
  TIMEOUT: { status: 504, message: 'The daemon did not answer in time' },
  INTERNAL: { status: 500, message: 'Internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

/** The wire form of an error: a stable code plus the message to show a person. */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
}

const LOCALGATE_ERROR = Symbol.for('localgate.error');

/**
 * An error with a stable code. `message` is complete and safe to show (never contains secrets);
 * `Symbol.hasInstance` uses a registry symbol so the check works across module copies.
 */
export class LocalgateError extends Error {
  readonly code: ErrorCode;
  readonly [LOCALGATE_ERROR] = true;

  constructor(code: ErrorCode, message: string = ERROR_CODES[code].message, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalgateError';
    this.code = code;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[LOCALGATE_ERROR] === true;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message };
  }
}

/** Turns anything thrown into a payload without leaking stack traces or internals. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof LocalgateError) return error.toPayload();
  return { code: 'INTERNAL', message: ERROR_CODES.INTERNAL.message };
}
