import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import type { ClientCodec, StreamDecoder, StreamEncoder, UpstreamCodec } from '../codecs/codec-types.js';
import type { IrRequest } from '../ir/ir-request.js';
import type { IrStreamEvent } from '../ir/ir-stream-event.js';
import type { IrUsage } from '../ir/ir-response.js';
import { readJsonBody, type UpstreamResponse } from '../providers/upstream-client.js';
import { proxyError } from '../core/proxy-error.js';
import type { RequestTrace } from '../core/request-trace.js';
import type { SignatureMemory, SignatureRecorder } from '../pipeline/signature-memory.js';
import type { RelayOptions } from './relay-upstream.js';
import { onReplyClosed } from './reply-closed.js';
import { setWarningsHeader } from './warnings-header.js';

function recordUsage(trace: RequestTrace, usage: IrUsage | undefined): void {
  if (!usage) return;
  if (usage.inputTokens !== undefined) trace.tokensIn = usage.inputTokens;
  if (usage.outputTokens !== undefined) trace.tokensOut = usage.outputTokens;
}

/**
 * Streams an upstream answer to a client of another protocol: each upstream chunk is decoded
 * into IR events and encoded into the client's format at once, and written with write()'s own
 * backpressure. Nothing is buffered beyond what a format forces inside the codecs. A stream that
 * breaks off still ends properly in the client's protocol (the encoder writes its error frame,
 * worded by `onBroken`: an idle timeout names itself). `head`: bytes read while peeking at the
 * first event, decoded first.
 */
export function relayTranslatedStream(
  reply: FastifyReply,
  response: UpstreamResponse,
  decoder: StreamDecoder,
  encoder: StreamEncoder,
  options: RelayOptions = {},
  signatures?: SignatureRecorder,
): void {
  const trace = reply.request.trace;
  const headers = { ...reply.getHeaders(), 'content-type': encoder.contentType, 'cache-control': 'no-cache', 'x-accel-buffering': 'no' } as OutgoingHttpHeaders;
  reply.hijack();
  const out = reply.raw;
  const body = response.body;
  out.writeHead(200, headers);
  const encode = (events: readonly IrStreamEvent[]): string => {
    let text = '';
    for (const event of events) {
      if (event.type === 'usage') recordUsage(trace, event.usage);
      else if (event.type === 'finish') recordUsage(trace, event.usage);
      else if (event.type === 'error') trace.error = event.error.kind;
      signatures?.observe(event);
      text += encoder.push(event);
    }
    return text;
  };
  let done = false;
  const finish = (tail: string): void => {
    if (done) return;
    done = true;
    const last = tail + encoder.end();
    trace.capture?.push(last);
    out.end(last);
  };
  const onData = (chunk: Buffer): void => {
    const text = encode(decoder.push(chunk));
    if (text) trace.capture?.push(text);
    if (text && !out.write(text)) body.pause();
  };
  for (const chunk of options.head ?? []) onData(chunk);
  // The upstream may have ended while the peek held the body (see relaySuccess): ask the body.
  if (options.ended || body.readableEnded) {
    finish(encode(decoder.end()));
    return;
  }
  const onError = (cause: unknown): void => {
    if (done || out.destroyed) return;
    // Some servers drop the connection after their last event instead of ending the response
    // (undici: "other side closed" / "terminated"), or hold it open until the idle timeout. If
    // the decoder already has the whole answer, its end() flushes it with no error: the client
    // gets a clean end and the account does not rest for a stream that did not break.
    const flushed = decoder.end();
    if (!flushed.some((event) => event.type === 'error')) {
      finish(encode(flushed));
      return;
    }
    const error = options.onBroken?.(cause) ?? proxyError('upstream', 'The upstream stream broke off before it finished.');
    finish(encode([{ type: 'error', error }]));
  };
  body.on('data', onData);
  out.on('drain', () => body.resume());
  body.once('end', () => finish(encode(decoder.end())));
  body.once('error', onError);
  onReplyClosed(reply, () => {
    if (!body.destroyed) body.destroy();
  });
  // Errors while the body sat paused after the peek were swallowed there: report them now.
  if (body.errored) onError(body.errored);
  else if (!out.writableNeedDrain) body.resume();
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
