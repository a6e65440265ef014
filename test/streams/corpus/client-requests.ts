import type { StreamEncoder } from '../../../host/codecs/codec-types.js';
import { createGeminiStreamEncoder } from '../../../host/codecs/gemini/index.js';
import { CLIENT_CODECS } from '../../../host/pipeline/codecs.js';
import type { ClientWire } from './client-meaning.js';

/** The model every corpus test asks for; each fake upstream lists it. */
export const CORPUS_MODEL = 'corpus-model';

/** The tools the corpus fixtures call, in JSON Schema. */
export const CORPUS_TOOLS = [
  { name: 'get_weather', description: 'Current weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city'] } },
  { name: 'get_time', description: 'Current time in a time zone', parameters: { type: 'object', properties: { timezone: { type: 'string' }, label: { type: 'string' } }, required: ['timezone'] } },
  { name: 'list_cities', description: 'The cities the user saved', parameters: { type: 'object', properties: {} } },
  { name: 'write_file', description: 'Write a file', parameters: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } }, required: ['path', 'content'] } },
] as const;

const PROMPT = 'Weather and time, please.';

/** A streaming request in each client protocol, offering the corpus tools. */
const REQUESTS = {
  'openai-chat': {
    model: CORPUS_MODEL,
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: 'user', content: PROMPT }],
    tools: CORPUS_TOOLS.map((tool) => ({ type: 'function', function: tool })),
  },
  'openai-responses': { model: CORPUS_MODEL, stream: true, input: PROMPT, tools: CORPUS_TOOLS.map((tool) => ({ type: 'function', ...tool, strict: false })) },
  anthropic: {
    model: CORPUS_MODEL,
    max_tokens: 1024,
    stream: true,
    messages: [{ role: 'user', content: PROMPT }],
    tools: CORPUS_TOOLS.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters })),
  },
  gemini: {
    contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
    tools: [{ functionDeclarations: CORPUS_TOOLS.map((tool) => ({ name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters })) }],
  },
} as const;

/** The stream encoder the proxy would use for a client speaking `wire` (its request decoded by the client codec). */
export function clientStreamEncoder(wire: ClientWire): StreamEncoder {
  const protocol = wire === 'gemini-sse' || wire === 'gemini-json-array' ? 'gemini' : wire;
  const request = CLIENT_CODECS[protocol].decodeRequest(structuredClone(REQUESTS[protocol]), { headers: {}, model: CORPUS_MODEL, stream: true });
  return wire === 'gemini-json-array' ? createGeminiStreamEncoder(request, { sse: false }) : CLIENT_CODECS[protocol].createStreamEncoder(request);
}
