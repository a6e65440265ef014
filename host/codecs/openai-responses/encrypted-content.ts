import type { IrOpaque } from '../../ir/ir-part.js';

/**
 * A reasoning item's `encrypted_content` carries the reasoning signature back and forth: the
 * client (Codex with `store: false`, or an SDK user echoing `response.output`) returns it in the
 * next request's input, and the upstream that made it needs it there (Anthropic rejects a
 * tool-use turn whose thinking block lost its signature).
 *
 * OpenAI's own blobs pass through as they are (family `openai`). A signature from another family
 * is wrapped as `lg1:<family>:<value>` (or `lg1:<family>-redacted:<value>` for Anthropic
 * `redacted_thinking`, whose data is the signature): OpenAI blobs never contain `:`, so the prefix
 * cannot collide, and the value comes back byte for byte.
 */
const PREFIX = 'lg1:';

export interface DecodedEncryptedContent {
  signature: IrOpaque;
  redacted: boolean;
}

export function encodeEncryptedContent(signature: IrOpaque, redacted: boolean): string {
  if (signature.family === 'openai' && !redacted) return signature.value;
  return `${PREFIX}${signature.family}${redacted ? '-redacted' : ''}:${signature.value}`;
}

export function decodeEncryptedContent(value: string): DecodedEncryptedContent {
  if (value.startsWith(PREFIX)) {
    const separator = value.indexOf(':', PREFIX.length);
    if (separator > 0) {
      const tag = value.slice(PREFIX.length, separator);
      const redacted = tag.endsWith('-redacted');
      const family = redacted ? tag.slice(0, -'-redacted'.length) : tag;
      if (family === 'openai' || family === 'anthropic' || family === 'gemini') {
        return { signature: { family, value: value.slice(separator + 1) }, redacted };
      }
    }
  }
  return { signature: { family: 'openai', value }, redacted: false };
}
