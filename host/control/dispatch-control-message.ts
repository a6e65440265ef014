import type { ControlReply } from '../../shared/control/envelope.js';
import { ControlRequestSchema } from '../../shared/control/envelope.js';
import { CONTROL_MESSAGES, isControlMessageType, SAFE_TO_REPEAT, type ControlMessageType } from '../../shared/control/messages.js';
import { ERROR_CODES, LocalgateError, toErrorPayload, type ErrorCode } from '../../shared/errors.js';
import type { LocalgateApi } from '../service/localgate-service.types.js';
import { describeZodError } from '../store/atomic-file.js';
import { CONTROL_HANDLERS, type ControlContext } from './control-handlers.js';
import type { RequestLedger } from './request-ledger.js';

/** A bad payload is reported in the words of what it was meant to be, as the popup shows it. */
const PAYLOAD_ERROR_CODES: Partial<Record<ControlMessageType, ErrorCode>> = {
  'config.update': 'INVALID_CONFIG',
  'accounts.add': 'INVALID_ACCOUNT',
  'accounts.update': 'INVALID_ACCOUNT',
};

export interface DispatchOptions {
  /** Answers a request that is not safe to repeat once per id (a resend gets the first answer). */
  ledger?: RequestLedger;
  /** Told about failures that are not LocalgateErrors (bugs), which the client sees only as INTERNAL. */
  onInternalError?: (type: string, error: unknown) => void;
}

/**
 * Answers one raw control message. Never throws: whatever goes wrong becomes an error reply, so
 * one bad message cannot take a connection (or the daemon) down. Results are parsed by their
 * schema on the way out, which drops any field the schema does not name: a secret added to a
 * service object by mistake cannot leak through the control API.
 */
export async function dispatchControlMessage(text: string, api: LocalgateApi, context: ControlContext, options: DispatchOptions = {}): Promise<ControlReply> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return failure('', new LocalgateError('INVALID_MESSAGE', `${ERROR_CODES.INVALID_MESSAGE.message}: not valid JSON`));
  }
  const request = ControlRequestSchema.safeParse(raw);
  if (!request.success) {
    return failure(idOf(raw), new LocalgateError('INVALID_MESSAGE', `${ERROR_CODES.INVALID_MESSAGE.message}: ${describeZodError(request.error)}`));
  }
  const { id, type } = request.data;
  if (!isControlMessageType(type)) {
    return failure(id, new LocalgateError('UNKNOWN_MESSAGE', `${ERROR_CODES.UNKNOWN_MESSAGE.message}: "${type}"`));
  }
  const schemas = CONTROL_MESSAGES[type];
  const payload = schemas.payload.safeParse(request.data.payload);
  if (!payload.success) {
    const code = PAYLOAD_ERROR_CODES[type] ?? 'INVALID_MESSAGE';
    return failure(id, new LocalgateError(code, `${ERROR_CODES[code].message}: ${describeZodError(payload.error)}`));
  }
  const run = async (): Promise<ControlReply> => {
    try {
      // The table is typed per message; here the type is only known at run time.
      const handler = CONTROL_HANDLERS[type] as (api: LocalgateApi, payload: unknown, context: ControlContext) => unknown;
      const result = schemas.result.safeParse(await handler(api, payload.data, context));
      if (!result.success) throw new Error(`${type} produced a result its schema rejects: ${describeZodError(result.error)}`);
      return { id, ok: true, result: result.data };
    } catch (error) {
      if (!(error instanceof LocalgateError)) options.onInternalError?.(type, error);
      return failure(id, error);
    }
  };
  if (!options.ledger || SAFE_TO_REPEAT.has(type)) return run();
  return options.ledger.answer(id, type, payload.data, run);
}

function failure(id: string, error: unknown): ControlReply {
  return { id, ok: false, error: toErrorPayload(error) };
}

/** Echo the id of a malformed request when there is one, so the client can still match it. */
function idOf(raw: unknown): string {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id.slice(0, 100) : '';
}
