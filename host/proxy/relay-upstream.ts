import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { UsageTail } from '../monitor/usage-tail.js';
import type { UpstreamResponse } from '../providers/upstream-client.js';
import { sendProxyError, type ClientProtocol } from './client-protocol.js';
import { kindForStatus, proxyError } from './proxy-error.js';

/**
 * Streams a successful upstream body to the client chunk by chunk as it arrives, with Node
 * streams and write()'s own backpressure signal (no PassThrough, no web streams), while the
 * monitor keeps only the tail it needs for token usage. Only content headers cross; nothing
 * that could identify the upstream account does.
 */
export function relaySuccess(reply: FastifyReply, response: UpstreamResponse): void {
  const contentType = String(response.headers['content-type'] ?? 'application/json');
  const headers = { ...reply.getHeaders(), 'content-type': contentType } as OutgoingHttpHeaders;
  if (contentType.startsWith('text/event-stream')) {
    headers['cache-control'] = 'no-cache';
    headers['x-accel-buffering'] = 'no';
  }
  const usage = new UsageTail();
  reply.request.trace.usage = usage;
  reply.hijack();
  const out = reply.raw;
  const body = response.body;
  out.writeHead(response.statusCode, headers);
  const capture = reply.request.trace.capture;
  body.on('data', (chunk: Buffer) => {
    usage.push(chunk);
    capture?.push(chunk);
    if (!out.write(chunk)) body.pause();
  });
  out.on('drain', () => body.resume());
  body.once('end', () => out.end());
  body.once('error', () => {
    // The upstream broke off after the status line was sent: end the reply so the client sees
    // a truncated body instead of hanging (protocol-aware error frames come with the codecs).
    reply.request.trace.error = 'upstream-stream-error';
    out.destroy();
  });
  out.once('close', () => {
    if (!body.destroyed) body.destroy();
  });
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
  return sendProxyError(reply, protocol, proxyError(kindForStatus(rejection.status), upstreamMessage(rejection.body, rejection.status), rejection.status));
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
