import type { IrFilePart, IrOpaque, IrPart } from '../../ir/ir-part.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { wrapOpaque, wrapThinking } from '../shared/opaque-signature.js';
import { SKIP_THOUGHT_SIGNATURE_VALIDATOR } from './signature.js';
import type { GeminiPart } from './wire.js';

/**
 * IR assistant parts → Gemini `model` parts, shared by the upstream request encoder (history sent
 * to Google) and the client response encoder.
 *
 * - `target: 'upstream'`: only Gemini-made signatures are sent. Reasoning from another family (or
 *   unsigned reasoning) is dropped with a warning: Gemini cannot verify it and reads nothing from
 *   unsigned thought text. A function call without a Gemini signature gets Google's documented
 *   skip value when the model validates signatures (Gemini 3+), except after a signed call of the
 *   same parallel batch, which legitimately carries the batch's only signature.
 * - `target: 'client'`: every signature goes out, foreign ones wrapped (see signature.ts), so the
 *   client sends them back and they reach the family that made them. Another family's signed
 *   thinking also rides, whole, on the function call after it (wrapThinking): clients like
 *   Gemini CLI send back only a turn's function calls.
 *
 * An empty reasoning part that only holds a signature (what decode-parts.ts makes of a signed
 * text part) is folded back onto the part before it, or else onto the next one.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 */
export interface EncodePartsOptions {
  target: 'upstream' | 'client';
  warnings: IrWarning[];
  /** Upstream only: put the skip value on unsigned function calls. */
  requireSignatures?: boolean;
}

export function encodeAssistantParts(parts: readonly IrPart[], options: EncodePartsOptions): GeminiPart[] {
  const out: GeminiPart[] = [];
  let pendingSignature: string | undefined;
  /** Client only: another family's signed thinking, to ride on the next function call too (wrapThinking). */
  let thinkingForCall: string | undefined;
  let batchSigned = false;
  const take = (part: GeminiPart) => {
    if (pendingSignature !== undefined && part.thoughtSignature === undefined) {
      part.thoughtSignature = pendingSignature;
      pendingSignature = undefined;
    }
    out.push(part);
  };

  for (const part of parts) {
    switch (part.type) {
      case 'text':
        batchSigned = false;
        if (part.text !== '') take({ text: part.text });
        break;
      case 'reasoning': {
        batchSigned = false;
        const signature = wireSignature(part.signature, part.redacted === true, options);
        if (options.target === 'client' && part.signature && part.signature.family !== 'gemini' && !part.redacted) thinkingForCall = wrapThinking(part.text, part.signature);
        if (options.target === 'upstream' && signature === undefined) {
          if (part.text !== '' || part.signature) {
            options.warnings.push({
              type: 'dropped',
              feature: 'reasoning',
              details: part.signature ? `signed by ${part.signature.family}; Gemini cannot verify it` : 'unsigned reasoning is not sent to Gemini',
            });
          }
          break;
        }
        if (part.text === '' && signature === undefined) break;
        if (part.text === '' && !(options.target === 'client' && part.redacted)) {
          const last = out[out.length - 1];
          if (last && last.thoughtSignature === undefined && last.functionCall === undefined) last.thoughtSignature = signature;
          else pendingSignature = signature;
          break;
        }
        const thought: GeminiPart = { text: part.text, thought: true };
        if (signature !== undefined) thought.thoughtSignature = signature;
        take(thought);
        break;
      }
      case 'tool-call': {
        const functionCall: GeminiPart = {
          functionCall: { id: part.toolCallId, name: part.toolName, args: parseArguments(part.argumentsText, part.toolName, options.warnings) },
        };
        const signature = wireSignature(part.signature, false, options);
        if (signature !== undefined) functionCall.thoughtSignature = signature;
        else if (pendingSignature !== undefined) {
          functionCall.thoughtSignature = pendingSignature;
          pendingSignature = undefined;
        } else if (thinkingForCall !== undefined) {
          functionCall.thoughtSignature = thinkingForCall;
        } else if (options.target === 'upstream' && options.requireSignatures && !batchSigned) {
          functionCall.thoughtSignature = SKIP_THOUGHT_SIGNATURE_VALIDATOR;
          options.warnings.push({
            type: 'coerced',
            feature: 'thoughtSignature',
            details: `function call "${part.toolName}" had no Gemini thought signature; sent skip_thought_signature_validator`,
          });
        }
        batchSigned ||= signature !== undefined;
        thinkingForCall = undefined;
        out.push(functionCall);
        break;
      }
      case 'file':
        batchSigned = false;
        take(encodeGeminiFile(part, options.warnings));
        break;
      case 'tool-result':
        options.warnings.push({ type: 'dropped', feature: 'tool-result-in-assistant-turn' });
        break;
    }
  }
  if (pendingSignature !== undefined) out.push({ text: '', thoughtSignature: pendingSignature });
  return out;
}

function wireSignature(signature: IrOpaque | undefined, redacted: boolean, options: EncodePartsOptions): string | undefined {
  if (!signature) return undefined;
  if (options.target === 'client') return wrapOpaque(signature, redacted ? 'redacted' : 'reasoning', 'gemini');
  return signature.family === 'gemini' && !redacted ? signature.value : undefined;
}

/**
 * `argumentsText` → `functionCall.args` (a JSON object). Arguments that are not a JSON object
 * are never turned into `{}`: they go as `{"_raw": text}` with a warning, so nothing is lost.
 */
export function parseArguments(argumentsText: string, toolName: string, warnings: IrWarning[]): Record<string, unknown> {
  if (argumentsText.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(argumentsText);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  warnings.push({ type: 'coerced', feature: 'functionCall.args', details: `arguments of "${toolName}" are not a JSON object; sent as {"_raw": text}` });
  return { _raw: argumentsText };
}

/** IR file → `inlineData` (base64) or `fileData` (URL / Gemini Files API URI). */
export function encodeGeminiFile(part: IrFilePart, warnings: IrWarning[]): GeminiPart {
  const source = part.source;
  switch (source.kind) {
    case 'base64':
      return { inlineData: { mimeType: part.mediaType ?? 'application/octet-stream', data: source.data } };
    case 'url': {
      const dataUrl = /^data:([^;,]+)?(?:;[^,]*)?;base64,(.*)$/s.exec(source.url);
      if (dataUrl) return { inlineData: { mimeType: part.mediaType ?? dataUrl[1] ?? 'application/octet-stream', data: dataUrl[2]! } };
      return { fileData: { ...(part.mediaType ? { mimeType: part.mediaType } : {}), fileUri: source.url } };
    }
    case 'file-id':
      if (!source.id.startsWith('files/') && !source.id.startsWith('https://')) {
        warnings.push({ type: 'coerced', feature: 'file-id', details: `file id ${source.id} is not a Gemini Files API name; sent as fileUri anyway` });
      }
      return { fileData: { ...(part.mediaType ? { mimeType: part.mediaType } : {}), fileUri: source.id } };
  }
}
