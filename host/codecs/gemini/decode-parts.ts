import type { IrFilePart, IrPart, IrReasoningPart } from '../../ir/ir-part.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { unwrapOpaque } from '../shared/opaque-signature.js';
import { isRecord, readField } from './wire.js';

/**
 * Gemini parts → IR parts, shared by the request decoder (history) and the response decoder.
 *
 * Thought signatures: a signature on a `functionCall` part becomes the tool call's `signature`;
 * on a thought part, the reasoning part's. Gemini 3 also signs ordinary text parts (often an empty
 * text part at the end of the answer); the IR has no signature on text, so such a signature
 * becomes an empty reasoning part placed right after the text, which the encoder folds back onto
 * the preceding part.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export interface DecodePartsContext {
  /** The id for a function call that has none (Gemini calls usually have none). */
  toolCallId(name: string, partIndex: number): string;
  warnings: IrWarning[];
  /** JSON path of the parts array, for errors and warnings. */
  path: string;
}

export class PartError extends Error {
  constructor(message: string, readonly param: string) {
    super(message);
  }
}

/** Reasoning parts rebuilt from a `thinking` value on a function call (see appendAssistantParts). */
const CARRIED_THINKING = new WeakSet<IrReasoningPart>();

export function decodeGeminiParts(parts: unknown[], context: DecodePartsContext): IrPart[] {
  const result: IrPart[] = [];
  parts.forEach((raw, index) => {
    const path = `${context.path}[${index}]`;
    if (!isRecord(raw)) throw new PartError(`${path} must be an object`, path);
    const rawSignature = readField(raw, 'thoughtSignature');
    const unwrapped = typeof rawSignature === 'string' && rawSignature !== '' ? unwrapOpaque(rawSignature, 'gemini') : undefined;
    const decodedSignature = unwrapped && { signature: unwrapped.signature, redacted: unwrapped.role === 'redacted' };
    const functionCall = readField(raw, 'functionCall');
    if (functionCall !== undefined) {
      if (!isRecord(functionCall) || typeof functionCall['name'] !== 'string' || functionCall['name'] === '') {
        throw new PartError(`${path}.functionCall.name must be a non-empty string`, `${path}.functionCall.name`);
      }
      const args = functionCall['args'];
      if (args !== undefined && args !== null && !isRecord(args)) {
        throw new PartError(`${path}.functionCall.args must be an object`, `${path}.functionCall.args`);
      }
      const id = typeof functionCall['id'] === 'string' && functionCall['id'] !== '' ? functionCall['id'] : context.toolCallId(functionCall['name'], index);
      // Another family's signed thinking that rode on this call (wrapThinking): it goes first.
      const thinking = unwrapped?.role === 'thinking' ? { type: 'reasoning' as const, text: unwrapped.text ?? '', signature: unwrapped.signature } : undefined;
      if (thinking) {
        CARRIED_THINKING.add(thinking);
        result.push(thinking);
      }
      result.push({
        type: 'tool-call',
        toolCallId: id,
        toolName: functionCall['name'],
        argumentsText: JSON.stringify(args ?? {}),
        ...(decodedSignature && !thinking ? { signature: decodedSignature.signature } : {}),
      });
      return;
    }
    const text = raw['text'];
    if (raw['thought'] === true) {
      result.push({
        type: 'reasoning',
        text: typeof text === 'string' ? text : '',
        ...(decodedSignature ? { signature: decodedSignature.signature } : {}),
        ...(decodedSignature?.redacted ? { redacted: true } : {}),
      });
      return;
    }
    if (typeof text === 'string') {
      if (text !== '') result.push({ type: 'text', text });
      if (decodedSignature) {
        result.push({ type: 'reasoning', text: '', signature: decodedSignature.signature, ...(decodedSignature.redacted ? { redacted: true } : {}) });
      }
      return;
    }
    const file = decodeGeminiFile(raw, path);
    if (file) {
      result.push(file);
      if (decodedSignature) result.push({ type: 'reasoning', text: '', signature: decodedSignature.signature });
      return;
    }
    const kind = Object.keys(raw).find((key) => key !== 'thoughtSignature' && key !== 'thought_signature') ?? 'empty';
    context.warnings.push({ type: 'dropped', feature: `part.${kind}`, details: `${path}: no IR equivalent` });
  });
  return result;
}

/**
 * Appends decoded model parts to an assistant message, folding a signature-only thought part
 * into the unsigned thought part just before it. Streams split a signed thought into text chunks
 * followed by the signature, and SDK chat histories keep one content per chunk, so the signature
 * must be reunited with the reasoning text it signs (Anthropic verifies text and signature together).
 */
export function appendAssistantParts(target: IrPart[], parts: readonly IrPart[]): void {
  for (const part of parts) {
    if (CARRIED_THINKING.has(part as IrReasoningPart)) {
      // Whole already (text and signature); a client that kept the thought parts too has it once.
      const signature = (part as IrReasoningPart).signature!.value;
      if (!target.some((earlier) => earlier.type === 'reasoning' && earlier.signature?.value === signature)) target.push(part);
      continue;
    }
    const previous = target[target.length - 1];
    if (
      part.type === 'reasoning' &&
      part.text === '' &&
      part.signature &&
      previous?.type === 'reasoning' &&
      !previous.signature &&
      previous.text !== '' &&
      (part.redacted ?? false) === (previous.redacted ?? false)
    ) {
      previous.signature = part.signature;
      continue;
    }
    if (part.type === 'reasoning' && part.text !== '' && !part.redacted && previous?.type === 'reasoning' && !previous.signature && !previous.redacted) {
      // Consecutive thought chunks of one run; a signature on the last one signs the run.
      previous.text += part.text;
      if (part.signature) previous.signature = part.signature;
      continue;
    }
    target.push(part);
  }
}

/** `inlineData` → base64 file; `fileData` → URL (a Files API URI or a public URL, never fetched). */
export function decodeGeminiFile(part: Record<string, unknown>, path: string): IrFilePart | undefined {
  const inline = readField(part, 'inlineData');
  if (inline !== undefined) {
    if (!isRecord(inline) || typeof inline['data'] !== 'string') throw new PartError(`${path}.inlineData.data must be a base64 string`, `${path}.inlineData.data`);
    const mimeType = readField(inline, 'mimeType');
    return { type: 'file', ...(typeof mimeType === 'string' ? { mediaType: mimeType } : {}), source: { kind: 'base64', data: inline['data'] } };
  }
  const fileData = readField(part, 'fileData');
  if (fileData !== undefined) {
    const uri = isRecord(fileData) ? readField(fileData, 'fileUri') : undefined;
    if (!isRecord(fileData) || typeof uri !== 'string') throw new PartError(`${path}.fileData.fileUri must be a string`, `${path}.fileData.fileUri`);
    const mimeType = readField(fileData, 'mimeType');
    return { type: 'file', ...(typeof mimeType === 'string' ? { mediaType: mimeType } : {}), source: { kind: 'url', url: uri } };
  }
  return undefined;
}
