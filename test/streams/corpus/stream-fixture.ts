import type { UpstreamFamily } from '../../../host/codecs/codec-types.js';
import type { StreamMeaning } from './stream-meaning.js';

/**
 * One provider stream, as the provider puts it on the wire, and what it means. The corpus
 * (gemini.ts, openai.ts, anthropic.ts) is written from the providers' API references and from
 * recorded real streams (the Vercel AI SDK's `__fixtures__/*.chunks.txt`): field order, extra
 * fields, `usage: null` on every OpenAI chunk, Gemini's cumulative usage on every chunk, Anthropic's
 * `ping`s. Ids and signatures are made up.
 */
export interface StreamFixture {
  name: string;
  family: UpstreamFamily;
  /**
   * The answer's bytes as the provider writes them (one entry per write). Gemini answers in the
   * form the URL asks for (`?alt=sse`, else one JSON array), so it depends on `form`; the other
   * families have one form.
   */
  wire(form: WireForm): { status: number; headers: Record<string, string>; chunks: string[] };
  expected: StreamMeaning;
}

export type WireForm = 'sse' | 'json-array';

/** Every chunk's bytes in one Buffer (for splitting at arbitrary byte offsets). */
export function wireBytes(fixture: StreamFixture, form: WireForm): Buffer {
  return Buffer.from(fixture.wire(form).chunks.join(''), 'utf8');
}

/** SSE `data:` frames, each event on one line, with the provider's line ending. */
export function dataFrames(payloads: ReadonlyArray<object | string>, eol: '\n' | '\r\n'): string[] {
  return payloads.map((payload) => `data: ${typeof payload === 'string' ? payload : JSON.stringify(payload)}${eol}${eol}`);
}
