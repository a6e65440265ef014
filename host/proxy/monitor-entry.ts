import { MAX_ENTRY_WARNINGS, type EntryWarning, type MonitorEntry } from '../../shared/monitor.js';
import { warningCode, type IrWarning } from '../ir/ir-warning.js';
import { cutUtf8 } from '../monitor/body-capture.js';
import type { RequestTrace } from '../core/request-trace.js';

const MAX_WARNING_MESSAGE = 200;

/** A request's warnings as its entry keeps them: each code once (its first message), bounded. */
export function entryWarnings(warnings: readonly IrWarning[]): EntryWarning[] {
  const byCode = new Map<string, EntryWarning>();
  for (const warning of warnings) {
    if (byCode.size >= MAX_ENTRY_WARNINGS) break;
    const code = warningCode(warning);
    if (byCode.has(code)) continue;
    // One line: a part type or name from the client's request can hold anything.
    const message = (warning.details ? `${warning.feature}: ${warning.details}` : warning.feature).replace(/[\u0000-\u001f\u007f]+/g, ' ');
    byCode.set(code, { code, message: message.length > MAX_WARNING_MESSAGE ? `${message.slice(0, MAX_WARNING_MESSAGE - 1)}…` : message });
  }
  return [...byCode.values()];
}

/**
 * Builds the monitor entry of a finished (or abandoned) request from its trace. `requestBody` is
 * the client's JSON text, recorded (cut to the limit) only when the trace captures bodies.
 */
export function monitorEntry(trace: RequestTrace, method: string, path: string, status: number, completed: boolean, requestBody?: string): MonitorEntry {
  const entry: MonitorEntry = {
    id: trace.id,
    time: trace.time,
    method,
    path,
    protocol: trace.protocol,
    status,
    latency_ms: Math.round((performance.now() - trace.started) * 10) / 10,
  };
  if (trace.model !== undefined) entry.model = trace.model;
  if (trace.mappedModel !== undefined) entry.mapped_model = trace.mappedModel;
  if (trace.account !== undefined) entry.account = trace.account;
  if (trace.ttfbMs !== undefined) entry.ttfb_ms = trace.ttfbMs;
  if (trace.stream !== undefined) entry.stream = trace.stream;
  if (trace.tokensIn !== undefined || trace.tokensOut !== undefined) {
    if (trace.tokensIn !== undefined) entry.tokens_in = trace.tokensIn;
    if (trace.tokensOut !== undefined) entry.tokens_out = trace.tokensOut;
  } else if (trace.usage) {
    const { tokensIn, tokensOut } = trace.usage.usage();
    if (tokensIn !== undefined) entry.tokens_in = tokensIn;
    if (tokensOut !== undefined) entry.tokens_out = tokensOut;
  }
  const error = trace.error ?? (!completed ? 'client-disconnected' : status >= 400 ? `http-${status}` : undefined);
  if (error) entry.error = error;
  if (trace.warnings && trace.warnings.length > 0) entry.warnings = entryWarnings(trace.warnings);
  if (trace.capture) {
    const request = requestBody === undefined ? undefined : cutUtf8(requestBody, trace.capture.limit);
    if (request) entry.request_body = request.text;
    entry.response_body = trace.capture.text();
    if (request?.truncated || trace.capture.truncated) entry.bodies_truncated = true;
  }
  return entry;
}
