import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body as the client sent it (undefined for other content types, or with a BOM). */
    rawJsonBody: string | undefined;
  }
}

/**
 * Replaces Fastify's JSON parser with the same parser (same prototype-poisoning protection, same
 * errors, same body limit) that also keeps the text it parsed, so a pass-through route can send
 * the client's own bytes upstream instead of re-serialising the parsed body: cheaper on the
 * 100–500 KB bodies coding agents send, and numbers keep their exact text (no 2^53 rounding).
 */
export function keepRawJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.decorateRequest('rawJsonBody', undefined);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    // A leading BOM is dropped by the parser; such (rare) bodies are re-serialised instead.
    if (text.charCodeAt(0) !== 0xfeff) request.rawJsonBody = text;
    parse(request, text, done);
  });
}
