import type { FastifyReply } from 'fastify';
import type { UpstreamResponse } from '../providers/upstream-client.js';
import { sendProxyError, type ClientProtocol } from './client-protocol.js';
import { kindForStatus, proxyError } from './proxy-error.js';

/**
 * Streams a successful upstream body to the client as it arrives (Fastify pipes the Node stream
 * and destroys it if the client leaves). Only content headers cross; nothing that could identify
 * the upstream account does.
 */
export function relaySuccess(reply: FastifyReply, response: UpstreamResponse): FastifyReply {
  const contentType = String(response.headers['content-type'] ?? 'application/json');
  reply.code(response.statusCode).header('content-type', contentType);
  if (contentType.startsWith('text/event-stream')) {
    reply.header('cache-control', 'no-cache').header('x-accel-buffering', 'no');
  }
  return reply.send(response.body);
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
