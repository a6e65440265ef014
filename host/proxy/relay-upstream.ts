import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { UsageTail } from '../monitor/usage-tail.js';
import { isEventStream, type UpstreamResponse } from '../providers/upstream-client.js';
import { answerEndedWhole } from './answer-ended-whole.js';
import { encodeError, sendProxyError, type ClientProtocol } from './client-protocol.js';
import { kindForStatus, proxyError, type ProxyError } from '../core/proxy-error.js';
import { onReplyClosed } from './reply-closed.js';
import { sseFrame } from '../codecs/shared/sse-parser.js';

/** Whom a relay tells when the upstream breaks off. */
export interface RelayOptions {
  /** The upstream failed after bytes reached the client (idle timeout, reset); returns the error to report in the stream. */
  onBroken?(cause: unknown): ProxyError;
}

/**
 * Streams a successful upstream body to the client chunk by chunk as it arrives, with Node
 * streams and write()'s own backpressure signal (no PassThrough, no web streams), while the
 * monitor keeps only the tail it needs for token usage. Only content headers cross; nothing
 * that could identify the upstream account does. When the upstream breaks off mid-stream (idle
 * timeout, reset), an SSE client gets an error frame in its own protocol and a clean end; any
 * other body is cut (the client sees a truncated answer, never a hang) — unless the answer had
 * already said its last word (answer-ended-whole.ts): then it simply ends.
 */
export function relaySuccess(reply: FastifyReply, response: UpstreamResponse, protocol: ClientProtocol, options: RelayOptions = {}): void {
  const contentType = String(response.headers['content-type'] ?? 'application/json');
  const headers = { ...reply.getHeaders(), 'content-type': contentType } as OutgoingHttpHeaders;
  const sse = isEventStream(response);
  if (sse) {
    headers['cache-control'] = 'no-cache';
    headers['x-accel-buffering'] = 'no';
  } else {
    // The bytes pass as they came, so their length holds: the head then goes out with the body in
    // one write, and the client reads a plain body instead of chunks (and their terminator).
    const length = response.headers['content-length'];
    if (typeof length === 'string') headers['content-length'] = length;
  }
  const usage = new UsageTail();
  reply.request.trace.usage = usage;
  reply.hijack();
  const out = reply.raw;
  const body = response.body;
  out.writeHead(response.statusCode, headers);
  const capture = reply.request.trace.capture;
  let atLineStart = true;
  const forward = (chunk: Buffer): boolean => {
    usage.push(chunk);
    capture?.push(chunk);
    if (chunk.length > 0) atLineStart = chunk[chunk.length - 1] === 0x0a;
    return out.write(chunk);
  };
  let done = false;
  const onData = (chunk: Buffer): void => {
    if (!forward(chunk)) body.pause();
  };
  const onError = (cause: unknown): void => {
    if (done) return;
    done = true;
    if (out.destroyed) return;
    if (answerEndedWhole(protocol, sse, usage.text())) {
      out.end();
      return;
    }
    const error = options.onBroken?.(cause) ?? proxyError('upstream', 'The upstream stream broke off before it finished.');
    reply.request.trace.error = error.kind;
    if (!sse) {
      out.destroy();
      return;
    }
    // Close a half-written event first so the error frame stands on its own (a blank line more is harmless).
    const separator = atLineStart ? '\n' : '\n\n';
    const frame = sseErrorFrame(protocol, error);
    capture?.push(separator + frame);
    out.end(separator + frame);
  };
  body.on('data', onData);
  out.on('drain', () => body.resume());
  body.once('end', () => {
    if (done) return;
    done = true;
    out.end();
  });
  body.once('error', onError);
  onReplyClosed(reply, () => {
    if (!body.destroyed) body.destroy();
  });
  if (body.errored) onError(body.errored);
  else body.resume();
}

/** An error as the client's own stream would carry it (what its SDK raises). */
export function sseErrorFrame(protocol: ClientProtocol, error: ProxyError): string {
  return sseFrame(JSON.stringify(encodeError(protocol, error)), protocol === 'anthropic' ? 'error' : undefined);
}

/**
 * An upstream's refusal of the request itself. From a same-protocol upstream the body is already
 * in the client's format and passes through; anything else is rewritten into it.
 */
export function relayRejection(
  reply: FastifyReply,
  protocol: ClientProtocol,
  rejection: { status: number; contentType: string; body: string },
  upstreamProtocol: ClientProtocol = protocol,
): FastifyReply {
  if (upstreamProtocol === protocol && rejection.contentType.includes('json') && isJson(rejection.body)) {
    return reply.code(rejection.status).type('application/json; charset=utf-8').send(rejection.body);
  }
  return sendProxyError(reply, protocol, rejectionError(rejection));
}

/** An upstream's refusal as the proxy's error (the upstream's message kept, its status too). */
export function rejectionError(rejection: { status: number; body: string }): ProxyError {
  return proxyError(kindForStatus(rejection.status), upstreamMessage(rejection.body, rejection.status), rejection.status);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function upstreamMessage(body: string, status: number): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const message = typeof parsed.error === 'object' ? parsed.error?.message : (parsed.error ?? parsed.message);
    if (typeof message === 'string' && message) return `Upstream: ${message}`;
  } catch {
    // Not JSON: fall through to the status alone.
  }
  return `The upstream refused the request (HTTP ${status}).`;
}
