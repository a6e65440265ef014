import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body as the client sent it (undefined for other content types, or with a BOM). */
    rawJsonBody: string | undefined;
    /** `rawJsonBody`'s bytes, as they came: passed on without encoding the text again. */
    rawJsonBytes: Buffer | undefined;
  }
}

/**
 * Whether a JSON text could poison a prototype: it names `__proto__` or `constructor`, or spells
 * ASCII characters with `\u00xx` escapes (a key `"\u005f_proto__"` parses to `__proto__`). Far
 * cheaper than the full check (two regex scans of the whole text): most bodies hold none of these.
 */
export function mayPoisonPrototype(text: string): boolean {
  return text.includes('__proto__') || text.includes('constructor') || (text.includes('\\u') && /\\u00[2-7]/i.test(text));
}

/**
 * Replaces Fastify's JSON parser with one that also keeps the text it parsed and its bytes, so a
 * pass-through route can send the client's own bytes upstream instead of re-serialising the parsed
 * body (or even encoding the text again): cheaper on the 100–500 KB bodies coding agents send, and numbers keep their exact text (no 2^53
 * rounding). A text that cannot poison a prototype is parsed with plain JSON.parse; any other
 * (and any text JSON.parse refuses) goes through Fastify's own parser: the same prototype-poisoning
 * protection, the same errors, the same body limit.
 */
export function keepRawJsonBody(app: FastifyInstance): void {
  const secureParse = app.getDefaultJsonParser('error', 'error');
  app.decorateRequest('rawJsonBody', undefined);
  app.decorateRequest('rawJsonBytes', undefined);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    const text = bytes.toString('utf8');
    // A leading BOM is dropped by the parser; such (rare) bodies are re-serialised instead.
    if (text.charCodeAt(0) !== 0xfeff) {
      request.rawJsonBody = text;
      request.rawJsonBytes = bytes;
    }
    if (!mayPoisonPrototype(text)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Empty, malformed or BOM-prefixed: Fastify's parser answers it (its errors, its BOM rule).
        secureParse(request, text, done);
        return;
      }
      done(null, parsed);
      return;
    }
    secureParse(request, text, done);
  });
}
