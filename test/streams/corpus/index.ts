import { ANTHROPIC_FIXTURES } from './anthropic.js';
import { GEMINI_FIXTURES } from './gemini.js';
import { OPENAI_FIXTURES } from './openai.js';
import type { StreamFixture } from './stream-fixture.js';

/** Every provider stream shape the proxy must carry to every client protocol. */
export const STREAM_CORPUS: readonly StreamFixture[] = [...GEMINI_FIXTURES, ...OPENAI_FIXTURES, ...ANTHROPIC_FIXTURES];

export * from './stream-fixture.js';
export * from './stream-meaning.js';
