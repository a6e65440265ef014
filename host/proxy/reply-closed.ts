import type { FastifyInstance, FastifyReply } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who waits for this request's response to be over, in order (see onReplyClosed); null until someone does. */
    replyClosedListeners: Array<() => void> | null;
  }
}

/** Gives every request of `app` the slot onReplyClosed keeps its listeners in (decorated once: requests keep one shape). */
export function trackReplyClosed(app: FastifyInstance): void {
  app.decorateRequest('replyClosedListeners', null);
}

/**
 * Calls `listener` once the response is over (its 'close': written whole, or the connection
 * dropped), after the listeners added before it. The monitor entry, the client-gone signal, the
 * admission count and a relay's upstream body all wait for that moment; they share one 'close'
 * listener per response instead of adding one each, since this runs for every request.
 */
export function onReplyClosed(reply: FastifyReply, listener: () => void): void {
  const request = reply.request;
  const waiting = request.replyClosedListeners;
  if (waiting) {
    waiting.push(listener);
    return;
  }
  const listeners = [listener];
  request.replyClosedListeners = listeners;
  reply.raw.once('close', () => {
    for (const each of listeners) each();
  });
}
