import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GenerationContext } from '../pipeline/serve-generation.js';
import { onReplyClosed } from './reply-closed.js';
import { ClientGoneSignal } from '../core/cancel-signal.js';

/**
 * What the pipeline is given with a request: its trace, a signal that fires when the client goes
 * away before the reply is complete (so the upstream request, and its socket, is cancelled at
 * once instead of streaming into the void), and the reply's end. `close` on the response fires
 * both on completion and on a dropped connection; only an unfinished reply means the client left.
 * The signal and every `onReplyClosed` listener share the response's one `close` listener
 * (reply-closed.ts).
 */
export function pipelineContext(request: FastifyRequest, reply: FastifyReply): GenerationContext {
  const signal = new ClientGoneSignal();
  onReplyClosed(reply, () => {
    if (!reply.raw.writableFinished) signal.abort();
  });
  return { trace: request.trace, signal, onReplyClosed: (listener) => onReplyClosed(reply, listener) };
}
