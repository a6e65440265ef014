import type { IrRequest, IrSampling } from '../../ir/ir-request.js';
import type { IrWarning } from '../../ir/ir-warning.js';
import { CodecError, type DecodeContext } from '../codec-types.js';

/**
 * What a chat model is told so that its answer is a completion: the raw continuation, nothing
 * else (a chat model otherwise greets, explains and wraps code in fences, which an editor would
 * insert as is).
 */
export const CONTINUE_INSTRUCTION =
  'You are a text completion engine. The user message is a document that stops mid-way. Reply with only the text that continues it, exactly where it stops: no explanations, no code fences, do not repeat any of the document.';

/** Fill in the middle: the prefix and suffix are marked so neither can be mistaken for the other. */
export const FILL_IN_THE_MIDDLE_INSTRUCTION =
  'You are a fill-in-the-middle completion engine. The user message holds a document with a gap: the text before the gap is inside <prefix>…</prefix>, the text after it inside <suffix>…</suffix>. Reply with only the text that belongs in the gap, so that prefix + your reply + suffix reads as one document: no explanations, no code fences, no tags, do not repeat the prefix or the suffix.';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Legacy fields a chat request cannot carry: dropped, with a warning. */
const DROPPED_FIELDS: Record<string, string> = {
  echo: 'the prompt is not echoed before the completion',
  logprobs: 'no log probabilities across protocols',
  best_of: 'one completion is generated',
  logit_bias: 'no logit bias across protocols',
};

/**
 * A legacy `POST /v1/completions` body → IR, for an account that answers chat instead (another
 * family, or an OpenAI-compatible server without /completions). The prompt becomes the one user
 * message, after an instruction to continue it; with `suffix`, a fill-in-the-middle instruction
 * and the prompt and suffix marked as prefix and suffix. Either way the client is warned: a chat
 * model was asked, not a completion model.
 * @see https://platform.openai.com/docs/api-reference/completions/create
 */
export function decodeOpenAICompletionsRequest(body: unknown, context: DecodeContext): IrRequest {
  if (!isRecord(body)) throw new CodecError('The request body must be a JSON object');
  const model = typeof body.model === 'string' && body.model ? body.model : context.model;
  if (!model) throw new CodecError('`model` is required and must be a string', 'model');
  const prompt = promptText(body.prompt);
  const warnings: IrWarning[] = [{ type: 'coerced', feature: 'prompt', details: 'sent to a chat model as a user message, with an instruction to continue it' }];
  const suffix = typeof body.suffix === 'string' && body.suffix !== '' ? body.suffix : undefined;
  if (suffix !== undefined) warnings.push({ type: 'coerced', feature: 'suffix', details: 'fill-in-the-middle asked of a chat model by instruction' });
  for (const [field, details] of Object.entries(DROPPED_FIELDS)) {
    if (body[field] !== undefined && body[field] !== null && body[field] !== false) warnings.push({ type: 'dropped', feature: field, details });
  }
  if (typeof body.n === 'number' && body.n > 1) warnings.push({ type: 'unsupported', feature: 'n', details: `n=${body.n}: only one choice is returned across protocols` });

  const request: IrRequest = {
    model,
    instructions: [{ type: 'text', text: suffix === undefined ? CONTINUE_INSTRUCTION : FILL_IN_THE_MIDDLE_INSTRUCTION }],
    messages: [{ role: 'user', parts: [{ type: 'text', text: suffix === undefined ? prompt : `<prefix>${prompt}</prefix>\n<suffix>${suffix}</suffix>` }] }],
    tools: [],
    sampling: sampling(body),
    stream: body.stream === true,
    extras: {},
    warnings,
  };
  if (isRecord(body.stream_options) && body.stream_options.include_usage === true) request.includeUsage = true;
  if (typeof body.user === 'string') request.user = body.user;
  return request;
}

/** `prompt`: a string, or an array holding one (several prompts are several completions: one is translated). */
function promptText(prompt: unknown): string {
  if (typeof prompt === 'string') return prompt;
  if (Array.isArray(prompt) && prompt.length === 1 && typeof prompt[0] === 'string') return prompt[0];
  if (Array.isArray(prompt) && prompt.length > 1 && prompt.every((item) => typeof item === 'string')) {
    throw new CodecError('Only one prompt per request can be sent to the account serving this model (it answers chat, not completions)', 'prompt');
  }
  if (Array.isArray(prompt) && prompt.length > 0) {
    throw new CodecError('`prompt` as token ids can only be sent to an account with a /completions endpoint: send text', 'prompt');
  }
  throw new CodecError('`prompt` is required: a string', 'prompt');
}

function sampling(body: Record<string, unknown>): IrSampling {
  const result: IrSampling = {};
  const number = (key: string): number | undefined => {
    const value = body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number') throw new CodecError(`\`${key}\` must be a number`, key);
    return value;
  };
  const maxTokens = number('max_tokens');
  if (maxTokens !== undefined) result.maxOutputTokens = maxTokens;
  const temperature = number('temperature');
  if (temperature !== undefined) result.temperature = temperature;
  const topP = number('top_p');
  if (topP !== undefined) result.topP = topP;
  const seed = number('seed');
  if (seed !== undefined) result.seed = seed;
  const presence = number('presence_penalty');
  if (presence !== undefined) result.presencePenalty = presence;
  const frequency = number('frequency_penalty');
  if (frequency !== undefined) result.frequencyPenalty = frequency;
  const stop = body.stop;
  if (typeof stop === 'string') result.stop = [stop];
  else if (Array.isArray(stop) && stop.every((item) => typeof item === 'string')) result.stop = stop as string[];
  else if (stop !== undefined && stop !== null) throw new CodecError('`stop` must be a string or an array of strings', 'stop');
  return result;
}
