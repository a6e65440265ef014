import { createHash } from 'node:crypto';
import type { ClientProtocolId } from '../codecs/codec-types.js';

/** Longer explicit keys are hashed, so a pin costs little memory whatever the client sends. */
const MAX_PLAIN_KEY_LENGTH = 128;

/**
 * A conversation's key for `sticky` scheduling, or undefined when the request names none. Cheap:
 * it reads a few fields and hashes at most one message's text, never the whole body.
 *
 * 1. a header `x-localgate-session`, else `x-session-id`;
 * 2. Anthropic `metadata.user_id` (Claude Code puts its session there);
 * 3. OpenAI (Chat and Responses) `prompt_cache_key` (OpenAI's own key for routing to one cache),
 *    else `user`;
 * 4. the first user message's text, hashed (sha1, first 16 hex): OpenAI/Anthropic `messages`,
 *    Responses `input`, Gemini `contents`. Every turn of a conversation resends it.
 *
 * Keys are prefixed by where they came from, so a header cannot collide with a message hash.
 */
export function sessionKeyFor(
  protocol: ClientProtocolId,
  body: unknown,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | undefined {
  const header = firstHeader(headers['x-localgate-session']) ?? firstHeader(headers['x-session-id']);
  if (header !== undefined) return bounded('header', header);
  if (!isRecord(body)) return undefined;
  if (protocol === 'anthropic' && isRecord(body.metadata)) {
    const userId = nonEmptyString(body.metadata.user_id);
    if (userId !== undefined) return bounded('user', userId);
  }
  if (protocol === 'openai-chat' || protocol === 'openai-responses' || protocol === 'openai-completions') {
    const cacheKey = nonEmptyString(body.prompt_cache_key);
    if (cacheKey !== undefined) return bounded('cache', cacheKey);
    const user = nonEmptyString(body.user);
    if (user !== undefined) return bounded('user', user);
  }
  const text = firstUserText(protocol, body);
  return text === undefined ? undefined : `text:${sha1Prefix(text)}`;
}

function firstUserText(protocol: ClientProtocolId, body: Record<string, unknown>): string | undefined {
  switch (protocol) {
    case 'openai-chat':
    case 'anthropic':
      return textOfFirst(body.messages, (item) => item.role === 'user', (item) => item.content);
    case 'openai-responses':
      if (typeof body.input === 'string') return nonEmptyString(body.input);
      // An item without a type is a message (EasyInputMessage); `type: 'message'` is the explicit form.
      return textOfFirst(body.input, (item) => item.role === 'user' && (item.type === undefined || item.type === 'message'), (item) => item.content);
    case 'gemini':
      return textOfFirst(body.contents, (item) => item.role === undefined || item.role === 'user', (item) => item.parts);
    case 'openai-completions':
      // An editor's prompt is the file around the cursor: it changes with every keystroke.
      return undefined;
  }
}

/** The text of the first item matching `isUser`: a string content, or the `text` of its parts joined. */
function textOfFirst(
  items: unknown,
  isUser: (item: Record<string, unknown>) => boolean,
  contentOf: (item: Record<string, unknown>) => unknown,
): string | undefined {
  if (!Array.isArray(items)) return undefined;
  const first = items.find((item): item is Record<string, unknown> => isRecord(item) && isUser(item));
  if (!first) return undefined;
  const content = contentOf(first);
  if (typeof content === 'string') return nonEmptyString(content);
  if (!Array.isArray(content)) return undefined;
  const texts = content.flatMap((part) => (isRecord(part) && typeof part.text === 'string' ? [part.text] : []));
  return nonEmptyString(texts.join('\n'));
}

function bounded(source: string, key: string): string {
  return key.length > MAX_PLAIN_KEY_LENGTH ? `${source}#${sha1Prefix(key)}` : `${source}:${key}`;
}

function sha1Prefix(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return nonEmptyString(Array.isArray(value) ? value[0] : value);
}

function nonEmptyString(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
