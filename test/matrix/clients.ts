import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI, GoogleGenerativeAIFetchError, SchemaType, type FunctionDeclaration } from '@google/generative-ai';
import OpenAI from 'openai';

/** The tools every matrix test offers, in JSON Schema (as Claude Code and the SDKs send them). */
export const TOOLS = [
  {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string', description: 'City name' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city'],
      additionalProperties: false,
    },
  },
  {
    name: 'get_time',
    description: 'Current time in a time zone',
    parameters: { type: 'object', properties: { timezone: { type: 'string' } }, required: ['timezone'], additionalProperties: false },
  },
] as const;

export interface CallSeen {
  id: string | undefined;
  name: string;
  args: Record<string, unknown>;
}

/** What a matrix test does with a client SDK, exactly as user code would. */
export interface ClientUnderTest {
  name: string;
  text(prompt: string, options: { system: string; maxTokens: number }): Promise<string>;
  stream(prompt: string): Promise<{ text: string; chunks: number }>;
  toolCalls(prompt: string, stream: boolean): Promise<CallSeen[]>;
  /** Sends a conversation holding a get_weather call (city Paris) and its result; returns the answer. */
  toolResultRoundTrip(result: string): Promise<string>;
  /** Makes a request that the upstream refuses; returns what the SDK's own error class says. */
  error(): Promise<{ status: number | undefined; message: string; isSdkError: boolean }>;
}

const MODEL = 'matrix-model';

export function openAIChatClient(origin: string): ClientUnderTest {
  const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: 'sk-matrix-client', maxRetries: 0 });
  const tools = TOOLS.map((tool) => ({ type: 'function' as const, function: { name: tool.name, description: tool.description, parameters: tool.parameters as Record<string, unknown> } }));
  return {
    name: 'openai chat',
    async text(prompt, { system, maxTokens }) {
      const completion = await client.chat.completions.create({ model: MODEL, max_tokens: maxTokens, messages: [{ role: 'system', content: system }, { role: 'user', content: prompt }] });
      return completion.choices[0]?.message.content ?? '';
    },
    async stream(prompt) {
      const stream = await client.chat.completions.create({ model: MODEL, stream: true, messages: [{ role: 'user', content: prompt }] });
      let text = '';
      let chunks = 0;
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta.content;
        if (delta) {
          text += delta;
          chunks += 1;
        }
      }
      return { text, chunks };
    },
    async toolCalls(prompt, stream) {
      const request = { model: MODEL, tools, messages: [{ role: 'user' as const, content: prompt }] };
      const message = stream
        ? (await client.chat.completions.stream(request).finalChatCompletion()).choices[0]!.message
        : (await client.chat.completions.create(request)).choices[0]!.message;
      return (message.tool_calls ?? []).map((call) => {
        if (call.type !== 'function') throw new Error('unexpected tool call type');
        return { id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) };
      });
    },
    async toolResultRoundTrip(result) {
      const completion = await client.chat.completions.create({
        model: MODEL,
        tools,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
          { role: 'tool', tool_call_id: 'call_w1', content: result },
        ],
      });
      return completion.choices[0]?.message.content ?? '';
    },
    async error() {
      const error = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      return { status: (error as { status?: number }).status, message: String((error as Error).message), isSdkError: error instanceof OpenAI.APIError };
    },
  };
}

export function openAIResponsesClient(origin: string): ClientUnderTest {
  const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: 'sk-matrix-client', maxRetries: 0 });
  const tools = TOOLS.map((tool) => ({ type: 'function' as const, name: tool.name, description: tool.description, parameters: tool.parameters as Record<string, unknown>, strict: false }));
  const calls = (output: OpenAI.Responses.ResponseOutputItem[]): CallSeen[] =>
    output.flatMap((item) => (item.type === 'function_call' ? [{ id: item.call_id, name: item.name, args: JSON.parse(item.arguments) }] : []));
  return {
    name: 'openai responses',
    async text(prompt, { system, maxTokens }) {
      const response = await client.responses.create({ model: MODEL, instructions: system, max_output_tokens: maxTokens, input: prompt });
      return response.output_text;
    },
    async stream(prompt) {
      const stream = await client.responses.create({ model: MODEL, input: prompt, stream: true });
      let text = '';
      let chunks = 0;
      for await (const event of stream) {
        if (event.type === 'response.output_text.delta') {
          text += event.delta;
          chunks += 1;
        }
      }
      return { text, chunks };
    },
    async toolCalls(prompt, stream) {
      const request = { model: MODEL, tools, input: prompt };
      const response = stream ? await client.responses.stream(request).finalResponse() : await client.responses.create(request);
      return calls(response.output);
    },
    async toolResultRoundTrip(result) {
      const response = await client.responses.create({
        model: MODEL,
        tools,
        input: [
          { role: 'user', content: 'Weather in Paris?' },
          { type: 'function_call', call_id: 'call_w1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { type: 'function_call_output', call_id: 'call_w1', output: result },
        ],
      });
      return response.output_text;
    },
    async error() {
      const error = await client.responses.create({ model: MODEL, input: 'x' }).catch((e: unknown) => e);
      return { status: (error as { status?: number }).status, message: String((error as Error).message), isSdkError: error instanceof OpenAI.APIError };
    },
  };
}

export function anthropicClient(origin: string): ClientUnderTest {
  const client = new Anthropic({ baseURL: origin, apiKey: 'sk-matrix-client', maxRetries: 0 });
  const tools = TOOLS.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters as unknown as Anthropic.Tool.InputSchema }));
  const calls = (content: Anthropic.ContentBlock[]): CallSeen[] =>
    content.flatMap((block) => (block.type === 'tool_use' ? [{ id: block.id, name: block.name, args: block.input as Record<string, unknown> }] : []));
  const textOf = (content: Anthropic.ContentBlock[]) => content.map((block) => (block.type === 'text' ? block.text : '')).join('');
  return {
    name: 'anthropic',
    async text(prompt, { system, maxTokens }) {
      const message = await client.messages.create({ model: MODEL, max_tokens: maxTokens, system, messages: [{ role: 'user', content: prompt }] });
      return textOf(message.content);
    },
    async stream(prompt) {
      const stream = client.messages.stream({ model: MODEL, max_tokens: 1024, messages: [{ role: 'user', content: prompt }] });
      let chunks = 0;
      stream.on('text', () => (chunks += 1));
      const message = await stream.finalMessage();
      return { text: textOf(message.content), chunks };
    },
    async toolCalls(prompt, stream) {
      const request = { model: MODEL, max_tokens: 1024, tools, messages: [{ role: 'user' as const, content: prompt }] };
      const message = stream ? await client.messages.stream(request).finalMessage() : await client.messages.create(request);
      return calls(message.content);
    },
    async toolResultRoundTrip(result) {
      const message = await client.messages.create({
        model: MODEL,
        max_tokens: 1024,
        tools,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_w1', name: 'get_weather', input: { city: 'Paris' } }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_w1', content: result }] },
        ],
      });
      return textOf(message.content);
    },
    async error() {
      const error = await client.messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      return { status: (error as { status?: number }).status, message: String((error as Error).message), isSdkError: error instanceof Anthropic.APIError };
    },
  };
}

export function genaiClient(origin: string): ClientUnderTest {
  const ai = new GoogleGenAI({ apiKey: 'sk-matrix-client', httpOptions: { baseUrl: origin } });
  const functionDeclarations = TOOLS.map((tool) => ({ name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters }));
  const calls = (functionCalls: Array<{ id?: string; name?: string; args?: Record<string, unknown> }> | undefined): CallSeen[] =>
    (functionCalls ?? []).map((call) => ({ id: call.id, name: call.name ?? '', args: call.args ?? {} }));
  return {
    name: '@google/genai',
    async text(prompt, { system, maxTokens }) {
      const response = await ai.models.generateContent({ model: MODEL, contents: prompt, config: { systemInstruction: system, maxOutputTokens: maxTokens } });
      return response.text ?? '';
    },
    async stream(prompt) {
      let text = '';
      let chunks = 0;
      for await (const chunk of await ai.models.generateContentStream({ model: MODEL, contents: prompt })) {
        if (chunk.text) {
          text += chunk.text;
          chunks += 1;
        }
      }
      return { text, chunks };
    },
    async toolCalls(prompt, stream) {
      const request = { model: MODEL, contents: prompt, config: { tools: [{ functionDeclarations }] } };
      if (!stream) return calls((await ai.models.generateContent(request)).functionCalls);
      const seen: CallSeen[] = [];
      for await (const chunk of await ai.models.generateContentStream(request)) seen.push(...calls(chunk.functionCalls));
      return seen;
    },
    async toolResultRoundTrip(result) {
      const response = await ai.models.generateContent({
        model: MODEL,
        config: { tools: [{ functionDeclarations }] },
        contents: [
          { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
          { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: JSON.parse(result) } }] },
        ],
      });
      return response.text ?? '';
    },
    async error() {
      const error = await ai.models.generateContent({ model: MODEL, contents: 'x' }).catch((e: unknown) => e);
      return { status: (error as { status?: number }).status, message: String((error as Error).message), isSdkError: error instanceof Error && 'status' in error };
    },
  };
}

/** The older Gemini SDK, which takes OpenAPI-style schemas (it predates JSON Schema support). */
export function generativeAIClient(origin: string): ClientUnderTest {
  const genAI = new GoogleGenerativeAI('sk-matrix-client');
  const declarations: FunctionDeclaration[] = [
    {
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: {
        type: SchemaType.OBJECT,
        properties: { city: { type: SchemaType.STRING, description: 'City name' }, unit: { type: SchemaType.STRING, format: 'enum', enum: ['celsius', 'fahrenheit'] } },
        required: ['city'],
      },
    },
    { name: 'get_time', description: 'Current time in a time zone', parameters: { type: SchemaType.OBJECT, properties: { timezone: { type: SchemaType.STRING } }, required: ['timezone'] } },
  ];
  const model = (options: { system?: string; maxTokens?: number; tools?: boolean } = {}) =>
    genAI.getGenerativeModel(
      {
        model: MODEL,
        ...(options.system ? { systemInstruction: options.system } : {}),
        ...(options.maxTokens ? { generationConfig: { maxOutputTokens: options.maxTokens } } : {}),
        ...(options.tools ? { tools: [{ functionDeclarations: declarations }] } : {}),
      },
      { baseUrl: origin },
    );
  const calls = (functionCalls: Array<{ name: string; args: object }> | undefined): CallSeen[] =>
    (functionCalls ?? []).map((call) => ({ id: undefined, name: call.name, args: call.args as Record<string, unknown> }));
  return {
    name: '@google/generative-ai',
    async text(prompt, { system, maxTokens }) {
      return (await model({ system, maxTokens }).generateContent(prompt)).response.text();
    },
    async stream(prompt) {
      const result = await model().generateContentStream(prompt);
      let text = '';
      let chunks = 0;
      for await (const chunk of result.stream) {
        const piece = chunk.text();
        if (piece) {
          text += piece;
          chunks += 1;
        }
      }
      return { text, chunks };
    },
    async toolCalls(prompt, stream) {
      if (!stream) return calls((await model({ tools: true }).generateContent(prompt)).response.functionCalls());
      // Calls are read chunk by chunk: this SDK's aggregated `response` reuses one part object for
      // all parts of a chunk, so parallel calls that arrive in one chunk (as Gemini sends them)
      // collapse into the last one there — a client-side bug we must not hide or trip over.
      const result = await model({ tools: true }).generateContentStream(prompt);
      const seen: CallSeen[] = [];
      for await (const chunk of result.stream) seen.push(...calls(chunk.functionCalls()));
      return seen;
    },
    async toolResultRoundTrip(result) {
      const response = await model({ tools: true }).generateContent({
        contents: [
          { role: 'user', parts: [{ text: 'Weather in Paris?' }] },
          { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
          { role: 'function', parts: [{ functionResponse: { name: 'get_weather', response: JSON.parse(result) } }] },
        ],
      });
      return response.response.text();
    },
    async error() {
      const error = await model().generateContent('x').catch((e: unknown) => e);
      return { status: (error as { status?: number }).status, message: String((error as Error).message), isSdkError: error instanceof GoogleGenerativeAIFetchError };
    },
  };
}

export const CLIENTS = {
  'openai chat': openAIChatClient,
  'openai responses': openAIResponsesClient,
  anthropic: anthropicClient,
  '@google/genai': genaiClient,
  '@google/generative-ai': generativeAIClient,
} as const;
