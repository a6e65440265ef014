import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GenerationContext } from '../pipeline/serve-generation.js';

/**
 * What the pipeline is given with a request: its trace, a signal that fires when the client goes
 * away before the reply is complete (so the upstream request, and its socket, is cancelled at
 * once instead of streaming into the void), and the reply's end. `close` on the response fires
 * both on completion and on a dropped connection; only an unfinished reply means the client left.
 * One `close` listener serves the signal and every `onReplyClosed` listener: this runs for every
 * request.
 */
export function pipelineContext(request: FastifyRequest, reply: FastifyReply): GenerationContext {
  const controller = new AbortController();
  let closedListeners: (() => void)[] | undefined;
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
    if (closedListeners) for (const listener of closedListeners) listener();
  });
  return { trace: request.trace, signal: controller.signal, onReplyClosed: (listener) => void (closedListeners ??= []).push(listener) };
}
