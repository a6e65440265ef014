import type { IrOpaque } from '../../ir/ir-part.js';

/**
 * Thinking signatures between Anthropic clients and other families. A signature made by
 * Anthropic travels verbatim. One made by another family (a Gemini thought signature) is handed
 * to an Anthropic client wrapped as `localgate.<family>.<value>`, so that when the client sends
 * the thinking block back the decoder restores its real family, and the Anthropic upstream
 * encoder never sends it to Anthropic.
 */
const PREFIX = 'localgate.';

export function signatureToWire(signature: IrOpaque): string {
  return signature.family === 'anthropic' ? signature.value : `${PREFIX}${signature.family}.${signature.value}`;
}

export function signatureFromWire(value: string): IrOpaque {
  if (value.startsWith(PREFIX)) {
    const dot = value.indexOf('.', PREFIX.length);
    const family = value.slice(PREFIX.length, dot);
    if (dot > 0 && (family === 'openai' || family === 'gemini')) return { family, value: value.slice(dot + 1) };
  }
  return { family: 'anthropic', value };
}
