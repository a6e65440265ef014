import type { FastifyReply } from 'fastify';
import type { ClientCodec, UpstreamCodec } from '../codecs/codec-types.js';
import type { IrRequest } from '../ir/ir-request.js';
import type { IrUsage } from '../ir/ir-response.js';
import { readJsonBody, type UpstreamResponse } from '../providers/upstream-client.js';
import type { RequestTrace } from '../core/request-trace.js';
import type { SignatureMemory } from '../pipeline/signature-memory.js';
import { setWarningsHeader } from './warnings-header.js';

/** A translated answer's token counts, for the monitor. */
export function recordUsage(trace: RequestTrace, usage: IrUsage | undefined): void {
  if (!usage) return;
  if (usage.inputTokens !== undefined) trace.tokensIn = usage.inputTokens;
  if (usage.outputTokens !== undefined) trace.tokensOut = usage.outputTokens;
}

/**
 * Non-streaming translation: upstream JSON (read whole: the client needs it whole) → IR → the
 * client's JSON. What decoding and encoding the answer drop joins the request's warnings, and
 * the header, before anything is sent.
 */
export async function relayTranslatedJson(
  reply: FastifyReply,
  response: UpstreamResponse,
  upstream: UpstreamCodec,
  client: ClientCodec,
  request: IrRequest,
  signatures?: SignatureMemory,
): Promise<FastifyReply> {
  const decoded = upstream.decodeResponse(await readJsonBody(response));
  const trace = reply.request.trace;
  recordUsage(trace, decoded.usage);
  signatures?.rememberTurn(decoded.content);
  const body = client.encodeResponse(decoded, request);
  if (decoded.warnings.length > 0) (trace.warnings ??= []).push(...decoded.warnings);
  setWarningsHeader(reply, trace.warnings);
  return reply.code(200).type('application/json; charset=utf-8').send(body);
}
