import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { effectiveAuthMode, type ProxyConfig } from '../../shared/config.js';
import { proxyError, type ProxyError } from '../core/proxy-error.js';

const HEALTH_PATHS = new Set(['/healthz', '/health']);

export const ACCEPTED_KEY_HEADERS =
  "'Authorization: Bearer <key>', 'Authorization: <key>', 'x-api-key: <key>' or 'x-goog-api-key: <key>'";

/**
 * The key a client presented, in the reference product's order: Authorization (with or without
 * `Bearer `), then x-api-key, then x-goog-api-key, then Gemini's `?key=` query parameter.
 */
export function presentedKey(headers: IncomingHttpHeaders, query: string | undefined): string | undefined {
  const authorization = headers.authorization;
  if (authorization) return authorization.replace(/^Bearer\s+/i, '').trim();
  const apiKey = headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return apiKey.trim();
  const googKey = headers['x-goog-api-key'];
  if (typeof googKey === 'string' && googKey) return googKey.trim();
  if (query) {
    const key = new URLSearchParams(query).get('key');
    if (key) return key;
  }
  return undefined;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/** The configured key's digest, kept while the key stays the same (it is the same on every request). */
let expectedDigest: { key: string; digest: Buffer } | undefined;

/** Compares in constant time: both sides are hashed first so lengths leak nothing either. */
export function keysMatch(presented: string, expected: string): boolean {
  if (expectedDigest?.key !== expected) expectedDigest = { key: expected, digest: sha256(expected) };
  return timingSafeEqual(sha256(presented), expectedDigest.digest);
}

/**
 * Decides whether a request may proceed, from the live config (so `auto` follows the LAN switch
 * at request time). Returns the error to answer with, or undefined. Preflights never get here:
 * CORS answers them in an earlier hook.
 */
export function checkAuth(config: ProxyConfig, method: string, url: string, headers: IncomingHttpHeaders): ProxyError | undefined {
  const mode = effectiveAuthMode(config);
  if (mode === 'off' || method === 'OPTIONS') return undefined;
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  if (mode === 'all_except_health' && HEALTH_PATHS.has(path)) return undefined;
  const key = presentedKey(headers, queryStart === -1 ? undefined : url.slice(queryStart + 1));
  if (key === undefined) {
    return proxyError('authentication', `Missing API key. This Localgate proxy requires its api_key, sent as ${ACCEPTED_KEY_HEADERS}.`);
  }
  if (!keysMatch(key, config.api_key)) {
    return proxyError('authentication', `Invalid API key. Send this Localgate proxy's api_key (see \`localgate config get --reveal\`) as ${ACCEPTED_KEY_HEADERS}.`);
  }
  return undefined;
}
