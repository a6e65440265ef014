import type { FastifyReply, FastifyRequest } from 'fastify';
import { CodecError, type StreamEncoder } from '../codecs/codec-types.js';
import type { IrRequest } from '../ir/ir-request.js';
import { proxyError } from '../core/proxy-error.js';
import type { ProxyDeps } from '../core/proxy-deps.js';
import { clientCodecOf, serveGeneration, type Generation } from '../pipeline/serve-generation.js';
import { SignatureRecorder } from '../pipeline/signature-memory.js';
import { classifyNetworkFailure } from '../pipeline/upstream-failure.js';
import { pipelineContext } from './pipeline-context.js';
import { errorFormatOf, sendProxyError } from './client-protocol.js';
import { relayTranslatedJson } from './relay-translated.js';
import { relayStream, type StreamOutput } from './relay-stream.js';
import { isEventStream } from '../providers/upstream-client.js';
import { relayRejection, relaySuccess } from './relay-upstream.js';
import { setWarningsHeader } from './warnings-header.js';

/** How a route's client wants its bytes, beyond its codec's defaults. */
export interface ClientOutput {
  /** The client's stream format when it is not the codec's default (Gemini's JSON-array form). */
  createStreamEncoder?(request: IrRequest): StreamEncoder;
}

/**
 * Serves a generation request (the pipeline decides: model, account, pass-through or
 * translation, failover) and writes what it decided to the client: an error in the client's
 * format, an upstream's refusal, the upstream's bytes as they come, or the answer translated into
 * the client's protocol. The warnings header goes out with the head.
 */
export async function respondToGeneration(request: FastifyRequest, reply: FastifyReply, deps: ProxyDeps, generation: Generation, output: ClientOutput = {}): Promise<FastifyReply | void> {
  const format = errorFormatOf(generation.protocol);
  const context = pipelineContext(request, reply);
  const signal = context.signal;
  const result = await serveGeneration(deps, generation, context);
  setWarningsHeader(reply, request.trace.warnings);
  switch (result.kind) {
    case 'error':
      return sendProxyError(reply, format, result.error);
    case 'rejected':
      return relayRejection(reply, format, result);
  }
  const streamOutput = (): StreamOutput => ({
    protocol: format,
    createEncoder: (ir) => output.createStreamEncoder?.(ir) ?? clientCodecOf(generation).createStreamEncoder(ir),
    ...(deps.signatures.enabled ? { signatures: new SignatureRecorder(deps.signatures) } : {}),
    ...(generation.passThrough ? { ownFamily: generation.passThrough.family } : {}),
  });
  if (result.mode === 'pass-through') {
    // Peeked as SSE by the pipeline (serve-generation.ts): the same test picks the stream relay.
    if (generation.stream && isEventStream(result.response)) return relayStream(reply, result, streamOutput());
    // Not SSE (a JSON answer, Gemini's JSON-array stream): never peeked, committed at once.
    return relaySuccess(reply, result.response, format, { onBroken: result.onBroken });
  }
  if (!generation.stream) {
    try {
      return await relayTranslatedJson(reply, result.response, result.upstream, clientCodecOf(generation), result.request, deps.signatures);
    } catch (error) {
      if (error instanceof CodecError) throw error;
      if (signal.aborted) return reply;
      const failure = classifyNetworkFailure(error);
      const answer =
        failure.kind === 'timeout' || failure.code !== 'network error' ? result.onBroken(error) : proxyError('upstream', 'The upstream answered with a body that could not be read.');
      request.trace.error = answer.kind;
      return sendProxyError(reply, format, answer);
    }
  }
  relayStream(reply, result, streamOutput());
}
