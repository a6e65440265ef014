import type { IrFilePart, IrPart, IrToolResultPart } from '../../ir/ir-part.js';
import type { IrReasoningConfig, IrRequest, IrToolChoice } from '../../ir/ir-request.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { CodecError } from '../codec-types.js';
import { budgetForEffort } from '../shared/reasoning-effort.js';
import { encodeAssistantParts, encodeGeminiFile } from './encode-parts.js';
import { toFunctionResponseObject } from './function-response.js';
import { sanitizeToolSchema } from './sanitize-tool-schema.js';
import { encodeGoogleSearchTool } from './grounding.js';
import { geminiMajorVersion, requiresThoughtSignatures } from './signature.js';
import type {
  GeminiContent,
  GeminiFunctionDeclaration,
  GeminiGenerateContentRequest,
  GeminiGenerationConfig,
  GeminiPart,
  GeminiThinkingConfig,
  GeminiTool,
} from './wire.js';
import { isRecord } from './wire.js';

/**
 * IR request → Gemini `generateContent` body for `model` (the URL carries the model and the
 * method; this body is the same for streaming and not).
 *
 * - Leading instructions → `systemInstruction`; a mid-conversation system turn becomes a user turn
 *   at its place (Gemini has no other place for it), with a warning.
 * - Tool results → `functionResponse {id, name, response}` in a user turn; `response` must be an
 *   object (see function-response.ts). Files in a tool result go inside `functionResponse.parts`
 *   on Gemini 3, beside the function response on older models.
 * - Tool schemas are sanitised into the OpenAPI subset `parameters` accepts (sanitize-tool-schema.ts);
 *   `parametersJsonSchema` is not used because only newer models accept it.
 * - Reasoning config → `thinkingConfig`: `thinkingLevel` for Gemini 3+, `thinkingBudget` before.
 *
 * The codec interface has no warnings channel for encoders, so warnings are appended to
 * `request.warnings` (once each), where the monitor reads them.
 * @see https://ai.google.dev/api/generate-content#request-body
 */
export function encodeGeminiRequest(request: IrRequest, model: string): Record<string, unknown> {
  const warnings: IrWarning[] = [];
  const extras = request.extras.gemini ?? {};
  const body: GeminiGenerateContentRequest = { contents: encodeContents(request, model, warnings) };

  if (request.instructions.length > 0) {
    body.systemInstruction = { parts: request.instructions.map((part) => ({ text: part.text })) };
  }
  const tools = encodeTools(request, extras, warnings);
  if (tools.length > 0) body.tools = tools;
  // Gemini refuses a functionCallingConfig without function declarations (a search alone).
  const toolConfig = encodeToolConfig(request.tools.length > 0 ? request.toolChoice : undefined, extras);
  if (toolConfig) body.toolConfig = toolConfig;
  if (request.parallelToolCalls === false) {
    warnings.push({ type: 'dropped', feature: 'parallel_tool_calls', details: 'Gemini cannot forbid parallel function calls' });
  }
  const generationConfig = encodeGenerationConfig(request, model, extras, warnings);
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;

  for (const [key, value] of Object.entries(extras)) {
    if (!STRUCTURAL_EXTRAS.has(key)) body[key] = value;
  }
  for (const [protocol, protocolExtras] of Object.entries(request.extras)) {
    if (protocol === 'gemini' || !protocolExtras) continue;
    for (const [key, value] of Object.entries(protocolExtras)) {
      // A client's unknown top-level fields travel as one `fields` record: name each one, so the
      // warning (and its code, e.g. `dropped-seed`) says what was lost.
      if (key === 'fields' && isRecord(value)) {
        for (const field of Object.keys(value)) warnings.push({ type: 'dropped', feature: field, details: `${protocol} field with no Gemini equivalent` });
      } else warnings.push({ type: 'dropped', feature: `${protocol}.${key}`, details: 'no Gemini equivalent' });
    }
  }
  if (request.user !== undefined) warnings.push({ type: 'dropped', feature: 'user', details: 'no Gemini equivalent' });
  if (hasCacheControl(request)) warnings.push({ type: 'dropped', feature: 'cache_control', details: 'Gemini has no prompt-cache breakpoints (it caches implicitly)' });

  for (const warning of warnings) addWarning(request.warnings, warning);
  return body;
}

/** extras.gemini keys that feed nested fields rather than top-level ones. */
const STRUCTURAL_EXTRAS = new Set(['tools', 'functionDeclarationExtras', 'toolConfig', 'generationConfig', 'responseFormat', 'thinkingBudget']);

function addWarning(warnings: IrWarning[], warning: IrWarning): void {
  if (warnings.some((w) => w.type === warning.type && w.feature === warning.feature && w.details === warning.details)) return;
  warnings.push(warning);
}

function hasCacheControl(request: IrRequest): boolean {
  if (request.instructions.some((part) => part.cacheControl)) return true;
  if (request.tools.some((tool) => tool.cacheControl)) return true;
  return request.messages.some((message) => message.parts.some((part) => 'cacheControl' in part && part.cacheControl !== undefined));
}

function encodeContents(request: IrRequest, model: string, warnings: IrWarning[]): GeminiContent[] {
  const contents: GeminiContent[] = [];
  const callNames = new Map<string, string>();
  const multimodalToolResults = (geminiMajorVersion(model) ?? 0) >= 3;
  const requireSignatures = requiresThoughtSignatures(model);
  const append = (role: 'user' | 'model', parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };

  for (const message of request.messages) {
    switch (message.role) {
      case 'assistant':
        for (const part of message.parts) if (part.type === 'tool-call') callNames.set(part.toolCallId, part.toolName);
        append('model', encodeAssistantParts(message.parts, { target: 'upstream', warnings, requireSignatures }));
        break;
      case 'system':
        warnings.push({ type: 'coerced', feature: 'system-message', details: 'a mid-conversation system message was sent as a user turn' });
        append('user', encodeUserParts(message.parts, callNames, multimodalToolResults, warnings));
        break;
      case 'user':
      case 'tool':
        append('user', encodeUserParts(message.parts, callNames, multimodalToolResults, warnings));
        break;
    }
  }
  return contents;
}

function encodeUserParts(parts: readonly IrPart[], callNames: Map<string, string>, multimodal: boolean, warnings: IrWarning[]): GeminiPart[] {
  const out: GeminiPart[] = [];
  for (const part of parts) {
    switch (part.type) {
      case 'text':
        out.push({ text: part.text });
        break;
      case 'file':
        out.push(encodeGeminiFile(part, warnings));
        break;
      case 'tool-result':
        out.push(...encodeToolResult(part, callNames, multimodal, warnings));
        break;
      case 'reasoning':
      case 'tool-call':
        warnings.push({ type: 'dropped', feature: `${part.type}-in-user-turn` });
        break;
    }
  }
  return out;
}

function encodeToolResult(part: IrToolResultPart, callNames: Map<string, string>, multimodal: boolean, warnings: IrWarning[]): GeminiPart[] {
  const name = part.toolName || callNames.get(part.toolCallId);
  if (!name) throw new CodecError(`The tool result for call "${part.toolCallId}" matches no earlier tool call; Gemini needs the function name.`, 'messages');
  const text = part.content
    .filter((content) => content.type === 'text')
    .map((content) => content.text)
    .join('\n');
  const files = part.content.filter((content): content is IrFilePart => content.type === 'file');
  const functionResponse: GeminiPart['functionResponse'] & object = {
    id: part.toolCallId,
    name,
    response: toFunctionResponseObject(text, part.isError === true),
  };
  const siblings: GeminiPart[] = [];
  for (const file of files) {
    const encoded = encodeGeminiFile(file, warnings);
    if (multimodal && encoded.inlineData) {
      (functionResponse.parts ??= []).push({ inlineData: encoded.inlineData });
    } else {
      siblings.push(encoded);
      warnings.push({ type: 'coerced', feature: 'tool-result-file', details: 'sent as a separate part beside the function response' });
    }
  }
  return [{ functionResponse }, ...siblings];
}

function encodeTools(request: IrRequest, extras: Record<string, unknown>, warnings: IrWarning[]): GeminiTool[] {
  const declarationExtras = isRecord(extras['functionDeclarationExtras']) ? extras['functionDeclarationExtras'] : {};
  const declarations: GeminiFunctionDeclaration[] = request.tools.map((tool) => {
    const declaration: GeminiFunctionDeclaration = { name: tool.name };
    if (tool.description !== undefined) declaration.description = tool.description;
    const sanitized = sanitizeToolSchema(tool.parameters, { label: `tool "${tool.name}"` });
    warnings.push(...sanitized.warnings);
    if (sanitized.schema) declaration.parameters = sanitized.schema;
    if (tool.strict) warnings.push({ type: 'dropped', feature: 'strict', details: `tool "${tool.name}": Gemini has no strict mode` });
    const extra = declarationExtras[tool.name];
    return isRecord(extra) ? { ...extra, ...declaration } : declaration;
  });
  const tools: GeminiTool[] = declarations.length > 0 ? [{ functionDeclarations: declarations }] : [];
  for (const tool of request.serverTools ?? []) {
    const search = encodeGoogleSearchTool(tool, declarations.length > 0, warnings);
    if (search) tools.push(search);
  }
  if (Array.isArray(extras['tools'])) tools.push(...(extras['tools'] as GeminiTool[]));
  return tools;
}

/** IR tool choice → functionCallingConfig: auto → AUTO, none → NONE, required → ANY, a tool → ANY + its name. */
function encodeToolConfig(choice: IrToolChoice | undefined, extras: Record<string, unknown>): Record<string, unknown> | undefined {
  const rest = isRecord(extras['toolConfig']) ? { ...extras['toolConfig'] } : {};
  const allowed = Array.isArray(rest['allowedFunctionNames']) ? rest['allowedFunctionNames'] : undefined;
  const mode = typeof rest['functionCallingMode'] === 'string' ? rest['functionCallingMode'] : undefined;
  delete rest['allowedFunctionNames'];
  delete rest['functionCallingMode'];
  let functionCallingConfig: Record<string, unknown> | undefined;
  switch (choice?.type) {
    case 'auto':
      functionCallingConfig = { mode: mode ?? 'AUTO' };
      break;
    case 'none':
      functionCallingConfig = { mode: 'NONE' };
      break;
    case 'required':
      functionCallingConfig = { mode: 'ANY' };
      break;
    case 'tool':
      functionCallingConfig = { mode: 'ANY', allowedFunctionNames: [choice.name] };
      break;
    case undefined:
      break;
  }
  if (functionCallingConfig && allowed && choice?.type !== 'tool' && choice?.type !== 'none') functionCallingConfig['allowedFunctionNames'] = allowed;
  const config: Record<string, unknown> = { ...rest };
  if (functionCallingConfig) config['functionCallingConfig'] = functionCallingConfig;
  return Object.keys(config).length > 0 ? config : undefined;
}

function encodeGenerationConfig(request: IrRequest, model: string, extras: Record<string, unknown>, warnings: IrWarning[]): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = isRecord(extras['generationConfig']) ? { ...extras['generationConfig'] } : {};
  const sampling = request.sampling;
  if (sampling.maxOutputTokens !== undefined) config.maxOutputTokens = sampling.maxOutputTokens;
  if (sampling.temperature !== undefined) config.temperature = sampling.temperature;
  if (sampling.topP !== undefined) config.topP = sampling.topP;
  if (sampling.topK !== undefined) config.topK = sampling.topK;
  if (sampling.stop !== undefined && sampling.stop.length > 0) config.stopSequences = sampling.stop;
  if (sampling.seed !== undefined) config.seed = sampling.seed;
  if (sampling.presencePenalty !== undefined) config.presencePenalty = sampling.presencePenalty;
  if (sampling.frequencyPenalty !== undefined) config.frequencyPenalty = sampling.frequencyPenalty;

  const format = request.responseFormat;
  if (format?.type === 'json') config.responseMimeType = 'application/json';
  else if (format?.type === 'json-schema') {
    config.responseMimeType = 'application/json';
    const sanitized = sanitizeToolSchema(format.schema, { label: 'responseSchema' });
    warnings.push(...sanitized.warnings);
    if (sanitized.schema) config.responseSchema = sanitized.schema;
  } else if (format === undefined && isRecord(extras['responseFormat'])) {
    Object.assign(config, extras['responseFormat']);
  }

  const thinking = encodeThinkingConfig(request.reasoning, model, extras, warnings);
  if (thinking) config.thinkingConfig = thinking;
  return config;
}

/**
 * IR reasoning → thinkingConfig. Gemini 3 takes `thinkingLevel` (Pro: low | high; Flash: minimal |
 * low | medium | high) and cannot switch thinking off; Gemini 2.5 takes `thinkingBudget` (Pro
 * 128–32768 and never 0, Flash 0–24576), an effort through the one table (shared/reasoning-effort.ts).
 * The two fields cannot be sent together.
 * @see https://ai.google.dev/gemini-api/docs/thinking
 */
function encodeThinkingConfig(
  reasoning: IrReasoningConfig | undefined,
  model: string,
  extras: Record<string, unknown>,
  warnings: IrWarning[],
): GeminiThinkingConfig | undefined {
  const config: GeminiThinkingConfig = {};
  const usesLevels = (geminiMajorVersion(model) ?? 0) >= 3;
  const isPro = /-pro\b/.test(model);
  if (reasoning?.includeThoughts !== undefined) config.includeThoughts = reasoning.includeThoughts;
  const effort = reasoning?.effort;
  if (reasoning?.disabled || effort === 'none') {
    if (usesLevels) {
      config.thinkingLevel = isPro ? 'low' : 'minimal';
      warnings.push({ type: 'coerced', feature: 'reasoning.disabled', details: `${model} cannot switch thinking off; thinkingLevel ${config.thinkingLevel}` });
    } else if (/gemini-2\.5-pro/.test(model)) {
      config.thinkingBudget = 128;
      warnings.push({ type: 'coerced', feature: 'reasoning.disabled', details: `${model} cannot switch thinking off; thinkingBudget 128` });
    } else {
      config.thinkingBudget = 0;
    }
  } else if (effort !== undefined && usesLevels) {
    const level = thinkingLevel(effort, isPro);
    if (level !== effort) warnings.push({ type: 'coerced', feature: 'reasoning.effort', details: `${effort} → thinkingLevel ${level}` });
    config.thinkingLevel = level;
  } else if (reasoning?.budgetTokens !== undefined) {
    config.thinkingBudget = clampBudget(reasoning.budgetTokens, model, warnings);
  } else if (effort !== undefined) {
    config.thinkingBudget = clampBudget(budgetForEffort(effort), model, warnings);
    warnings.push({ type: 'coerced', feature: 'reasoning.effort', details: `${effort} → thinkingBudget ${config.thinkingBudget}` });
  } else if (typeof extras['thinkingBudget'] === 'number') {
    config.thinkingBudget = extras['thinkingBudget'];
  }
  return Object.keys(config).length > 0 ? config : undefined;
}

function thinkingLevel(effort: Exclude<NonNullable<IrReasoningConfig['effort']>, 'none'>, isPro: boolean): string {
  switch (effort) {
    case 'minimal':
      return isPro ? 'low' : 'minimal';
    case 'low':
      return 'low';
    case 'medium':
      return isPro ? 'high' : 'medium';
    case 'high':
    case 'xhigh':
      return 'high';
  }
}

function clampBudget(budget: number, model: string, warnings: IrWarning[]): number {
  const max = /gemini-2\.5-pro/.test(model) ? 32768 : /gemini-2\.5-flash/.test(model) ? 24576 : undefined;
  if (max !== undefined && budget > max) {
    warnings.push({ type: 'coerced', feature: 'reasoning.budgetTokens', details: `${budget} → ${max} (${model} maximum)` });
    return max;
  }
  return budget;
}
