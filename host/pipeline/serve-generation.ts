import type { FastifyReply, FastifyRequest } from 'fastify';
import { CodecError, type ClientCodec, type ClientProtocolId, type DecodeContext, type StreamEncoder, type UpstreamFamily } from '../codecs/codec-types.js';
import type { IrRequest } from '../ir/ir-request.js';
import { PROVIDERS } from '../providers/providers.js';
import { sendUpstream } from '../providers/upstream-client.js';
import type { Account } from '../../shared/accounts.js';
import { abortOnClientClose } from '../proxy/abort-on-client-close.js';
import { sendProxyError, type ClientProtocol } from '../proxy/client-protocol.js';
import { proxyError, type ProxyError } from '../core/proxy-error.js';
import type { ProxyDeps } from '../core/proxy-deps.js';
import { relayRejection, relaySuccess } from '../proxy/relay-upstream.js';
import { UPSTREAM_CODECS } from './codecs.js';
import { forwardWithFailover, timeoutMessage } from './forward-with-failover.js';
import { peekFirstEvent } from './peek-first-event.js';
import { classifyNetworkFailure } from './upstream-failure.js';
import { sessionKeyFor } from '../pool/session-key.js';
import { relayTranslatedJson, relayTranslatedStream } from './relay-translated.js';
import { SignatureRecorder } from './signature-memory.js';
import { matchPattern, resolveModel } from './resolve-model.js';

/** What a client route knows about one generation request. */
export interface Generation {
  protocol: ClientProtocolId;
  codec: ClientCodec;
  /** The model the client asked for. */
  model: string;
  stream: boolean;
  body: unknown;
  decodeContext: DecodeContext;
  /**
   * The upstream family that speaks the client's protocol, and how to send it the client's own
   * request (only the model rewritten). Absent when no family does (OpenAI Responses).
   */
  passThrough?: {
    family: UpstreamFamily;
    body(mappedModel: string): string;
    url?(account: Account, mappedModel: string): URL;
  };
  /** The client's stream format when it is not the codec's default (Gemini's JSON-array form). */
  createStreamEncoder?(request: IrRequest): StreamEncoder;
}

/**
 * Anthropic needs an output limit; when the client gave none, the user's `default_max_tokens`
 * for the model applies (the codec's per-model table is the fallback).
 */
function withConfiguredLimit(request: IrRequest, family: UpstreamFamily, model: string, limits: Readonly<Record<string, number>>): IrRequest {
  if (family !== 'anthropic' || request.sampling.maxOutputTokens !== undefined) return request;
  const limit = matchPattern(limits, model);
  return limit === undefined ? request : { ...request, sampling: { ...request.sampling, maxOutputTokens: limit } };
}

/** Which error body format a client protocol uses. */
export function errorFormatOf(protocol: ClientProtocolId): ClientProtocol {
  return protocol === 'openai-chat' || protocol === 'openai-responses' ? 'openai' : protocol;
}

/** Generation requests in flight, per proxy (its deps). */
const inFlight = new WeakMap<ProxyDeps, { count: number }>();

/**
 * Admits a request under `max_concurrent_requests`, counting it until its reply closes; false =
 * the proxy is full and the client must come back (an immediate 429, never a queue).
 */
function admit(deps: ProxyDeps, reply: FastifyReply, limit: number): boolean {
  let counter = inFlight.get(deps);
  if (!counter) inFlight.set(deps, (counter = { count: 0 }));
  if (counter.count >= limit) return false;
  counter.count += 1;
  const gauge = counter;
  reply.raw.once('close', () => {
    gauge.count -= 1;
  });
  return true;
}

/**
 * Serves one generation request from the pool: the model is mapped, accounts are tried with
 * failover, and each attempt either passes the client's bytes through (same family: only the
 * model rewritten, so signatures, cache_control, unknown fields and betas survive) or goes
 * through the translation core (decoded once, lazily, only if an account of another family is
 * picked). A streamed answer is read up to its first event before the client sees anything, so
 * an error sent as that event still fails over.
 */
export async function serveGeneration(request: FastifyRequest, reply: FastifyReply, deps: ProxyDeps, generation: Generation): Promise<FastifyReply | void> {
  const config = deps.config();
  const format = errorFormatOf(generation.protocol);
  const model = resolveModel(config.model_mapping, generation.model);
  const trace = request.trace;
  trace.model = generation.model;
  trace.mappedModel = model;
  trace.stream = generation.stream;

  if (!admit(deps, reply, config.max_concurrent_requests)) {
    trace.error = 'rate-limit';
    return sendProxyError(
      reply,
      format,
      proxyError('rate-limit', `Localgate is already serving max_concurrent_requests (${config.max_concurrent_requests}) requests; retry in a second.`, 429, 1000),
    );
  }

  let decoded: IrRequest | undefined;
  const ir = (): IrRequest => {
    if (decoded) return decoded;
    decoded = generation.codec.decodeRequest(generation.body, generation.decodeContext);
    // Signatures the client dropped from its history, put back before any upstream sees it.
    deps.signatures.restore(decoded);
    return decoded;
  };
  // A client that speaks no upstream's protocol is always translated: reject bad input up front.
  if (!generation.passThrough) {
    try {
      ir();
    } catch (error) {
      if (error instanceof CodecError) return sendProxyError(reply, format, proxyError('invalid-request', error.message));
      throw error;
    }
  }

  const timeouts = { connect_timeout_s: config.connect_timeout_s, request_timeout_s: config.request_timeout_s, stream_idle_timeout_s: config.stream_idle_timeout_s };
  const signal = abortOnClientClose(request, reply);
  let outcome;
  try {
    outcome = await forwardWithFailover({
      pool: deps.pool,
      model,
      providers: undefined,
      signal,
      maxAttempts: config.max_attempts,
      sessionKey: config.scheduling === 'sticky' ? sessionKeyFor(generation.protocol, generation.body, request.headers) : undefined,
      timeouts,
      send: (account) => {
        trace.account = account.label;
        const provider = PROVIDERS[account.provider];
        const same = generation.passThrough?.family === account.provider;
        const url = same && generation.passThrough?.url ? generation.passThrough.url(account, model) : provider.generateUrl(account, model, generation.stream);
        const body = same ? generation.passThrough!.body(model) : JSON.stringify(UPSTREAM_CODECS[account.provider].encodeRequest(withConfiguredLimit(ir(), account.provider, model, config.default_max_tokens), model));
        return sendUpstream(deps.upstream, {
          url,
          method: 'POST',
          headers: provider.headers(account, { stream: generation.stream, ...(same ? { client: request.headers } : {}) }),
          body,
          signal,
          timeoutMs: config.request_timeout_s * 1000,
          idleTimeoutMs: config.stream_idle_timeout_s * 1000,
        });
      },
      // Only SSE is peeked (every translated stream is asked as SSE; Gemini's JSON-array form passes as is).
      peek: (account, response, timeoutMs) =>
        generation.stream && String(response.headers['content-type'] ?? '').includes('text/event-stream')
          ? peekFirstEvent(response.body, account.provider, timeoutMs)
          : undefined,
    });
  } catch (error) {
    if (error instanceof CodecError) return sendProxyError(reply, format, proxyError('invalid-request', error.message));
    throw error;
  }
  trace.ttfbMs = Math.round((performance.now() - trace.started) * 10) / 10;
  if (outcome.kind === 'error') {
    trace.error = outcome.error.kind;
    return sendProxyError(reply, format, outcome.error);
  }
  const account = outcome.account;
  const family = account.provider;
  const same = generation.passThrough?.family === family;
  if (outcome.kind === 'rejected') {
    if (same) return relayRejection(reply, format, outcome);
    return sendProxyError(reply, format, UPSTREAM_CODECS[family].decodeError(outcome.status, outcome.body));
  }
  /** The upstream broke off after the client got bytes: the account rests, the client learns why. */
  const onBroken = (cause: unknown): ProxyError => {
    const failure = classifyNetworkFailure(cause);
    if (failure.kind === 'timeout') {
      deps.pool.markFailure(account.id, 'timeout', `upstream timed out (${failure.setting})`);
      return proxyError('timeout', timeoutMessage(model, failure.setting, timeouts));
    }
    deps.pool.markFailure(account.id, 'network-error', `upstream stream broke off (${failure.code})`);
    return proxyError('upstream', 'The upstream stream broke off before it finished.');
  };
  const relay = { head: outcome.head, ended: outcome.ended, onBroken };
  if (same) return relaySuccess(reply, outcome.response, format, relay);
  const upstreamCodec = UPSTREAM_CODECS[family];
  if (!generation.stream) {
    try {
      return await relayTranslatedJson(reply, outcome.response, upstreamCodec, generation.codec, ir(), deps.signatures);
    } catch (error) {
      if (error instanceof CodecError) throw error;
      if (signal.aborted) return reply;
      const failure = classifyNetworkFailure(error);
      const answer = failure.kind === 'timeout' || failure.code !== 'network error' ? onBroken(error) : proxyError('upstream', 'The upstream answered with a body that could not be read.');
      trace.error = answer.kind;
      return sendProxyError(reply, format, answer);
    }
  }
  const encoder = generation.createStreamEncoder?.(ir()) ?? generation.codec.createStreamEncoder(ir());
  relayTranslatedStream(reply, outcome.response, upstreamCodec.createStreamDecoder(), encoder, relay, new SignatureRecorder(deps.signatures));
}
