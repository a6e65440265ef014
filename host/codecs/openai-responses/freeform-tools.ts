import type { IrRequest, IrTool } from '../../ir/ir-request.js';

/**
 * Responses "custom" tools take one free-form string instead of JSON arguments (Codex's
 * `apply_patch` is one, with a Lark grammar). No other family has them, so upstream they are
 * declared as a function with a single string parameter, `input`, whose description carries the
 * grammar; the model's call comes back as a `custom_tool_call` with that string as its raw input.
 * @see https://platform.openai.com/docs/guides/function-calling#custom-tools
 */
const INPUT = 'input';

/** A `{type: 'custom'}` tool → the IR function tool that stands for it upstream. */
export function freeformToolToIr(name: string, description: string | undefined, format: unknown): IrTool {
  const tool: IrTool = {
    name,
    parameters: {
      type: 'object',
      properties: { [INPUT]: { type: 'string', description: inputDescription(format) } },
      required: [INPUT],
    },
    freeform: isRecord(format) ? { format } : {},
  };
  if (description !== undefined) tool.description = description;
  return tool;
}

function inputDescription(format: unknown): string {
  if (isRecord(format) && format.type === 'grammar' && typeof format.definition === 'string') {
    const syntax = typeof format.syntax === 'string' ? format.syntax : 'formal';
    return `The tool's whole input, as raw text (not JSON) that follows this ${syntax} grammar:\n${format.definition}`;
  }
  return "The tool's whole input, as raw text.";
}

/** A client's `custom_tool_call.input` → the JSON arguments of the function that stands for it. */
export function freeformArguments(input: string): string {
  return JSON.stringify({ [INPUT]: input });
}

/**
 * The raw input back out of the model's arguments. Models sometimes name the one parameter
 * differently or send the text bare; anything that is not an object holding one string is
 * passed on as the text it is, so the client's tool sees what the model wrote.
 */
export function freeformInput(argumentsText: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsText);
  } catch {
    return argumentsText;
  }
  if (typeof parsed === 'string') return parsed;
  if (!isRecord(parsed)) return argumentsText;
  if (typeof parsed[INPUT] === 'string') return parsed[INPUT];
  const values = Object.values(parsed);
  return values.length === 1 && typeof values[0] === 'string' ? values[0] : argumentsText;
}

/** Whether the client declared `name` as a custom (free-form) tool. */
export function isFreeformTool(request: IrRequest, name: string): boolean {
  return request.tools.some((tool) => tool.name === name && tool.freeform !== undefined);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
