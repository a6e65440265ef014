import type { IrFilePart, IrPart, IrTextPart, IrToolResultPart } from '../../ir/ir-part.js';
import type { IrMessage, IrReasoningConfig, IrRequest, IrResponseFormat, IrSampling, IrServerTool, IrTool, IrToolChoice } from '../../ir/ir-request.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { CodecError, type DecodeContext } from '../codec-types.js';
import { geminiSchemaToJsonSchema } from './convert-gemini-schema.js';
import { appendAssistantParts, decodeGeminiFile, decodeGeminiParts, PartError } from './decode-parts.js';
import { fromFunctionResponseObject } from './function-response.js';
import { camelKey, isRecord, readField } from './wire.js';
import { decodeGoogleSearchTool, GOOGLE_SEARCH_TOOL_KEY } from './grounding.js';

/**
 * A Gemini `generateContent` / `streamGenerateContent` body → IR request. The model comes from
 * the URL path (`DecodeContext.model`) and streaming from the method (`DecodeContext.stream`).
 * Field names are read in lowerCamelCase or snake_case, as the REST API accepts both.
 *
 * Gemini has no tool-call ids: a `functionCall` without `id` gets `call_<content>_<part>_<name>`
 * (unique in the conversation, stable across retries), and each `functionResponse` without `id`
 * is matched, by name and in order, to the earliest unanswered call, so that it gets the same id.
 * What the IR cannot express (safety settings, cached content, Google Search tools…) is kept in
 * `extras.gemini` with a warning.
 * @see https://ai.google.dev/api/generate-content#request-body
 */
export function decodeGeminiRequest(body: unknown, context: DecodeContext): IrRequest {
  if (!isRecord(body)) throw new CodecError('The request body must be a JSON object.');
  try {
    return decode(body, context);
  } catch (error) {
    if (error instanceof PartError) throw new CodecError(error.message, error.param);
    throw error;
  }
}

/** Top-level fields this decoder maps; any other field goes to `extras.gemini`. */
const MAPPED_FIELDS = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'generationConfig', 'model']);
/** generationConfig fields this decoder maps. */
const MAPPED_GENERATION_FIELDS = new Set([
  'maxOutputTokens',
  'temperature',
  'topP',
  'topK',
  'stopSequences',
  'seed',
  'presencePenalty',
  'frequencyPenalty',
  'responseMimeType',
  'responseSchema',
  'responseJsonSchema',
  'thinkingConfig',
]);

function decode(body: Record<string, unknown>, context: DecodeContext): IrRequest {
  const warnings: IrWarning[] = [];
  const extras: Record<string, unknown> = {};
  const rawModel = context.model ?? (typeof body['model'] === 'string' ? body['model'] : undefined);
  if (!rawModel) throw new CodecError('The model is missing from the request path (models/{model}:generateContent).', 'model');
  const model = rawModel.startsWith('models/') ? rawModel.slice('models/'.length) : rawModel;

  for (const [key, value] of Object.entries(body)) {
    const name = camelKey(key);
    if (MAPPED_FIELDS.has(name) || value === undefined) continue;
    extras[name] = value;
    warnings.push({ type: 'unsupported', feature: name, details: 'Gemini-only field, kept for Gemini upstreams only' });
  }

  const instructions = decodeSystemInstruction(readField(body, 'systemInstruction'), warnings);
  const messages = decodeContents(readField(body, 'contents'), warnings);
  const serverTools: IrServerTool[] = [];
  const tools = decodeTools(readField(body, 'tools'), serverTools, extras, warnings);
  const toolChoice = decodeToolConfig(readField(body, 'toolConfig'), extras, warnings);
  const generationConfig = readField(body, 'generationConfig');
  if (generationConfig !== undefined && !isRecord(generationConfig)) throw new CodecError('generationConfig must be an object.', 'generationConfig');
  const config = generationConfig ?? {};

  const request: IrRequest = {
    model,
    instructions,
    messages,
    tools,
    sampling: decodeSampling(config),
    stream: context.stream ?? false,
    extras: {},
    warnings,
  };
  if (serverTools.length > 0) request.serverTools = serverTools;
  if (toolChoice) request.toolChoice = toolChoice;
  const reasoning = decodeThinkingConfig(readField(config, 'thinkingConfig'), extras, warnings);
  if (reasoning) request.reasoning = reasoning;
  const responseFormat = decodeResponseFormat(config, extras, warnings);
  if (responseFormat) request.responseFormat = responseFormat;

  const generationExtras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const name = camelKey(key);
    if (MAPPED_GENERATION_FIELDS.has(name) || value === undefined) continue;
    generationExtras[name] = value;
    warnings.push({ type: 'unsupported', feature: `generationConfig.${name}`, details: 'kept for Gemini upstreams only' });
  }
  if (Object.keys(generationExtras).length > 0) extras['generationConfig'] = generationExtras;
  if (Object.keys(extras).length > 0) request.extras = { gemini: extras };
  return request;
}

function decodeSystemInstruction(value: unknown, warnings: IrWarning[]): IrTextPart[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return value ? [{ type: 'text', text: value }] : [];
  if (!isRecord(value) || !Array.isArray(value['parts'])) throw new CodecError('systemInstruction must be a Content object with parts.', 'systemInstruction');
  const parts: IrTextPart[] = [];
  value['parts'].forEach((part, index) => {
    if (isRecord(part) && typeof part['text'] === 'string') parts.push({ type: 'text', text: part['text'] });
    else warnings.push({ type: 'dropped', feature: 'systemInstruction.non-text-part', details: `systemInstruction.parts[${index}]` });
  });
  return parts;
}

interface PendingCall {
  id: string;
  name: string;
  answered: boolean;
}

function decodeContents(value: unknown, warnings: IrWarning[]): IrMessage[] {
  const contents = isRecord(value) ? [value] : value;
  if (!Array.isArray(contents)) throw new CodecError('contents must be an array of Content objects.', 'contents');
  const messages: IrMessage[] = [];
  const pending: PendingCall[] = [];
  let previousRole: 'user' | 'model' | undefined;
  contents.forEach((content, contentIndex) => {
    const path = `contents[${contentIndex}]`;
    if (!isRecord(content)) throw new CodecError(`${path} must be an object.`, path);
    const parts = content['parts'];
    if (!Array.isArray(parts)) throw new CodecError(`${path}.parts must be an array.`, `${path}.parts`);
    const role = content['role'] ?? 'user';
    if (role === 'model') {
      const decoded = decodeGeminiParts(parts, {
        toolCallId: (name, partIndex) => `call_${contentIndex}_${partIndex}_${name}`,
        warnings,
        path: `${path}.parts`,
      });
      for (const part of decoded) if (part.type === 'tool-call') pending.push({ id: part.toolCallId, name: part.toolName, answered: false });
      // SDK chat histories keep one model content per stream chunk: consecutive model contents are one turn.
      const previous = messages[messages.length - 1];
      if (previousRole === 'model' && previous?.role === 'assistant') appendAssistantParts(previous.parts, decoded);
      else if (decoded.length > 0) {
        const parts: IrPart[] = [];
        appendAssistantParts(parts, decoded);
        messages.push({ role: 'assistant', parts });
      }
      previousRole = 'model';
      return;
    }
    if (role !== 'user' && role !== 'function' && role !== 'tool') {
      throw new CodecError(`${path}.role must be "user" or "model".`, `${path}.role`);
    }
    decodeUserParts(parts, contentIndex, pending, messages, warnings);
    previousRole = 'user';
  });
  return messages;
}

/** A user turn: function responses become `tool` messages, the rest `user` messages, in order. */
function decodeUserParts(parts: unknown[], contentIndex: number, pending: PendingCall[], messages: IrMessage[], warnings: IrWarning[]): void {
  let current: IrMessage | undefined;
  const push = (role: 'user' | 'tool', part: IrPart) => {
    if (!current || current.role !== role) {
      current = { role, parts: [] };
      messages.push(current);
    }
    current.parts.push(part);
  };
  parts.forEach((part, partIndex) => {
    const path = `contents[${contentIndex}].parts[${partIndex}]`;
    if (!isRecord(part)) throw new CodecError(`${path} must be an object.`, path);
    const functionResponse = readField(part, 'functionResponse');
    if (functionResponse !== undefined) {
      push('tool', decodeFunctionResponse(functionResponse, path, contentIndex, partIndex, pending, warnings));
      return;
    }
    if (typeof part['text'] === 'string') {
      push('user', { type: 'text', text: part['text'] });
      return;
    }
    const file = decodeGeminiFile(part, path);
    if (file) {
      push('user', file);
      return;
    }
    if (readField(part, 'functionCall') !== undefined) throw new CodecError(`${path}: a functionCall must be in a "model" turn.`, path);
    const kind = Object.keys(part)[0] ?? 'empty';
    warnings.push({ type: 'dropped', feature: `part.${camelKey(kind)}`, details: `${path}: no IR equivalent` });
  });
}

function decodeFunctionResponse(
  value: unknown,
  path: string,
  contentIndex: number,
  partIndex: number,
  pending: PendingCall[],
  warnings: IrWarning[],
): IrToolResultPart {
  if (!isRecord(value) || typeof value['name'] !== 'string' || value['name'] === '') {
    throw new CodecError(`${path}.functionResponse.name must be a non-empty string.`, `${path}.functionResponse.name`);
  }
  const name = value['name'];
  let call: PendingCall | undefined;
  if (typeof value['id'] === 'string' && value['id'] !== '') {
    const id = value['id'];
    call = pending.find((candidate) => candidate.id === id) ?? { id, name, answered: false };
  } else {
    call = pending.find((candidate) => !candidate.answered && candidate.name === name);
    if (!call) {
      call = { id: `call_${contentIndex}_${partIndex}_${name}`, name, answered: false };
      warnings.push({ type: 'coerced', feature: 'functionResponse.id', details: `${path}: no earlier functionCall named "${name}"; id generated` });
    }
  }
  call.answered = true;
  const { text, isError } = fromFunctionResponseObject(value['response']);
  const content: Array<IrTextPart | IrFilePart> = [{ type: 'text', text }];
  const responseParts = value['parts'];
  if (Array.isArray(responseParts)) {
    responseParts.forEach((responsePart, index) => {
      const file = isRecord(responsePart) ? decodeGeminiFile(responsePart, `${path}.functionResponse.parts[${index}]`) : undefined;
      if (file) content.push(file);
      else warnings.push({ type: 'dropped', feature: 'functionResponse.parts', details: `${path}.functionResponse.parts[${index}]` });
    });
  }
  return { type: 'tool-result', toolCallId: call.id, toolName: name, content, ...(isError ? { isError: true } : {}) };
}

function decodeTools(value: unknown, serverTools: IrServerTool[], extras: Record<string, unknown>, warnings: IrWarning[]): IrTool[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new CodecError('tools must be an array.', 'tools');
  const tools: IrTool[] = [];
  const otherTools: unknown[] = [];
  const declarationExtras: Record<string, Record<string, unknown>> = {};
  value.forEach((tool, toolIndex) => {
    if (!isRecord(tool)) throw new CodecError(`tools[${toolIndex}] must be an object.`, `tools[${toolIndex}]`);
    for (const [key, entry] of Object.entries(tool)) {
      if (camelKey(key) === GOOGLE_SEARCH_TOOL_KEY) {
        serverTools.push(decodeGoogleSearchTool(entry));
        continue;
      }
      if (camelKey(key) !== 'functionDeclarations') {
        otherTools.push({ [camelKey(key)]: entry });
        warnings.push({ type: 'unsupported', feature: `tools.${camelKey(key)}`, details: 'Gemini server-side tool, kept for Gemini upstreams only' });
        continue;
      }
      if (!Array.isArray(entry)) throw new CodecError(`tools[${toolIndex}].functionDeclarations must be an array.`, `tools[${toolIndex}].functionDeclarations`);
      entry.forEach((declaration, index) => {
        const path = `tools[${toolIndex}].functionDeclarations[${index}]`;
        if (!isRecord(declaration) || typeof declaration['name'] !== 'string' || declaration['name'] === '') {
          throw new CodecError(`${path}.name must be a non-empty string.`, `${path}.name`);
        }
        const jsonSchema = readField(declaration, 'parametersJsonSchema');
        const openApiSchema = declaration['parameters'];
        const parameters = isRecord(jsonSchema)
          ? jsonSchema
          : isRecord(openApiSchema)
            ? geminiSchemaToJsonSchema(openApiSchema)
            : { type: 'object', properties: {} };
        const ir: IrTool = { name: declaration['name'], parameters };
        if (typeof declaration['description'] === 'string') ir.description = declaration['description'];
        tools.push(ir);
        const rest = Object.fromEntries(
          Object.entries(declaration).filter(([key]) => !['name', 'description', 'parameters', 'parametersJsonSchema'].includes(camelKey(key))),
        );
        if (Object.keys(rest).length > 0) {
          declarationExtras[declaration['name']] = rest;
          warnings.push({ type: 'unsupported', feature: 'functionDeclarations.extra', details: `${path}: ${Object.keys(rest).join(', ')}` });
        }
      });
    }
  });
  if (otherTools.length > 0) extras['tools'] = otherTools;
  if (Object.keys(declarationExtras).length > 0) extras['functionDeclarationExtras'] = declarationExtras;
  return tools;
}

/** functionCallingConfig.mode AUTO | ANY | NONE (| VALIDATED) ↔ IR tool choice. */
function decodeToolConfig(value: unknown, extras: Record<string, unknown>, warnings: IrWarning[]): IrToolChoice | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new CodecError('toolConfig must be an object.', 'toolConfig');
  const rest: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) if (camelKey(key) !== 'functionCallingConfig') rest[camelKey(key)] = entry;
  const config = readField(value, 'functionCallingConfig');
  let choice: IrToolChoice | undefined;
  if (isRecord(config)) {
    const mode = typeof config['mode'] === 'string' ? config['mode'].toUpperCase() : 'AUTO';
    const allowedRaw = readField(config, 'allowedFunctionNames');
    const allowed = Array.isArray(allowedRaw) ? allowedRaw.filter((name): name is string => typeof name === 'string') : [];
    switch (mode) {
      case 'NONE':
        choice = { type: 'none' };
        break;
      case 'ANY':
        choice = allowed.length === 1 ? { type: 'tool', name: allowed[0]! } : { type: 'required' };
        break;
      case 'AUTO':
      case 'MODE_UNSPECIFIED':
        choice = { type: 'auto' };
        break;
      default:
        choice = { type: 'auto' };
        rest['functionCallingMode'] = mode;
        warnings.push({ type: 'coerced', feature: 'functionCallingConfig.mode', details: `${mode} → auto` });
    }
    if (allowed.length > 1 || (allowed.length === 1 && mode !== 'ANY')) {
      rest['allowedFunctionNames'] = allowed;
      warnings.push({ type: 'unsupported', feature: 'functionCallingConfig.allowedFunctionNames', details: 'a subset of tools cannot be expressed outside Gemini' });
    }
  }
  if (Object.keys(rest).length > 0) extras['toolConfig'] = rest;
  return choice;
}

function decodeSampling(config: Record<string, unknown>): IrSampling {
  const sampling: IrSampling = {};
  const number = (name: string): number | undefined => {
    const value = readField(config, name);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new CodecError(`generationConfig.${name} must be a number.`, `generationConfig.${name}`);
    return value;
  };
  const maxOutputTokens = number('maxOutputTokens');
  if (maxOutputTokens !== undefined) sampling.maxOutputTokens = maxOutputTokens;
  const temperature = number('temperature');
  if (temperature !== undefined) sampling.temperature = temperature;
  const topP = number('topP');
  if (topP !== undefined) sampling.topP = topP;
  const topK = number('topK');
  if (topK !== undefined) sampling.topK = topK;
  const seed = number('seed');
  if (seed !== undefined) sampling.seed = seed;
  const presencePenalty = number('presencePenalty');
  if (presencePenalty !== undefined) sampling.presencePenalty = presencePenalty;
  const frequencyPenalty = number('frequencyPenalty');
  if (frequencyPenalty !== undefined) sampling.frequencyPenalty = frequencyPenalty;
  const stop = readField(config, 'stopSequences');
  if (stop !== undefined && stop !== null) {
    if (!Array.isArray(stop) || !stop.every((item) => typeof item === 'string')) {
      throw new CodecError('generationConfig.stopSequences must be an array of strings.', 'generationConfig.stopSequences');
    }
    sampling.stop = stop;
  }
  return sampling;
}

const LEVELS = new Set(['minimal', 'low', 'medium', 'high']);

/**
 * thinkingConfig → IR reasoning: `thinkingBudget` 0 switches thinking off, a positive budget is
 * kept as is, -1 ("let the model decide") has no IR form and stays in extras; `thinkingLevel`
 * maps onto the effort scale.
 * @see https://ai.google.dev/gemini-api/docs/thinking
 */
function decodeThinkingConfig(value: unknown, extras: Record<string, unknown>, warnings: IrWarning[]): IrReasoningConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new CodecError('generationConfig.thinkingConfig must be an object.', 'generationConfig.thinkingConfig');
  const reasoning: IrReasoningConfig = {};
  const budget = readField(value, 'thinkingBudget');
  if (typeof budget === 'number') {
    if (budget === 0) reasoning.disabled = true;
    else if (budget > 0) reasoning.budgetTokens = budget;
    else extras['thinkingBudget'] = budget;
  }
  const include = readField(value, 'includeThoughts');
  if (typeof include === 'boolean') reasoning.includeThoughts = include;
  const level = readField(value, 'thinkingLevel');
  if (typeof level === 'string') {
    const normalized = level.toLowerCase();
    if (LEVELS.has(normalized)) reasoning.effort = normalized as IrReasoningConfig['effort'];
    else if (normalized !== 'thinking_level_unspecified') warnings.push({ type: 'dropped', feature: 'thinkingConfig.thinkingLevel', details: `unknown level ${level}` });
  }
  return reasoning;
}

/** responseMimeType + responseSchema / responseJsonSchema ↔ IR response format. */
function decodeResponseFormat(config: Record<string, unknown>, extras: Record<string, unknown>, warnings: IrWarning[]): IrResponseFormat | undefined {
  const mimeType = readField(config, 'responseMimeType');
  const jsonSchema = readField(config, 'responseJsonSchema');
  const openApiSchema = readField(config, 'responseSchema');
  const schema = isRecord(jsonSchema) ? jsonSchema : isRecord(openApiSchema) ? geminiSchemaToJsonSchema(openApiSchema) : undefined;
  if (mimeType === undefined || mimeType === 'application/json') {
    if (schema) return { type: 'json-schema', schema };
    return mimeType === undefined ? undefined : { type: 'json' };
  }
  if (mimeType === 'text/plain') return { type: 'text' };
  extras['responseFormat'] = { responseMimeType: mimeType, ...(openApiSchema !== undefined ? { responseSchema: openApiSchema } : {}) };
  warnings.push({ type: 'unsupported', feature: 'generationConfig.responseMimeType', details: `${String(mimeType)} kept for Gemini upstreams only` });
  return undefined;
}
