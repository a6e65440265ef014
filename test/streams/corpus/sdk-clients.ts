import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { request } from 'undici';
import { ChatChunkAccumulator, meaningOfAnthropicMessage, meaningOfGeminiChunks, meaningOfResponsesObject, type ClientWire } from './client-meaning.js';
import { CORPUS_MODEL, CORPUS_TOOLS } from './client-requests.js';
import type { StreamMeaning } from './stream-meaning.js';

const PROMPT = 'Weather and time, please.';
const KEY = 'sk-corpus-client';

/**
 * One streamed request through the proxy at `origin`, made with the client protocol's official
 * SDK exactly as user code streams (Gemini's JSON-array form with plain undici: neither Google SDK
 * asks for it), read to its end and normalised to a StreamMeaning.
 */
export async function streamThroughSdk(wire: ClientWire, origin: string): Promise<StreamMeaning> {
  switch (wire) {
    case 'openai-chat': {
      const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: KEY, maxRetries: 0 });
      const stream = await client.chat.completions.create({
        model: CORPUS_MODEL,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: PROMPT }],
        tools: CORPUS_TOOLS.map((tool) => ({ type: 'function' as const, function: { ...tool, parameters: tool.parameters as Record<string, unknown> } })),
      });
      const accumulator = new ChatChunkAccumulator();
      for await (const chunk of stream) accumulator.push(chunk);
      return accumulator.meaning();
    }
    case 'openai-responses': {
      const client = new OpenAI({ baseURL: `${origin}/v1`, apiKey: KEY, maxRetries: 0 });
      const stream = await client.responses.create({
        model: CORPUS_MODEL,
        stream: true,
        input: PROMPT,
        tools: CORPUS_TOOLS.map((tool) => ({ type: 'function' as const, name: tool.name, description: tool.description, parameters: tool.parameters as Record<string, unknown>, strict: false })),
      });
      let final: unknown;
      for await (const event of stream) {
        if (event.type === 'response.completed' || event.type === 'response.incomplete') final = event.response;
        if (event.type === 'response.failed') throw new Error(`response.failed: ${JSON.stringify(event.response.error)}`);
      }
      if (!final) throw new Error('the Responses stream ended without response.completed or response.incomplete');
      return meaningOfResponsesObject(final);
    }
    case 'anthropic': {
      const client = new Anthropic({ baseURL: origin, apiKey: KEY, maxRetries: 0 });
      const message = await client.messages
        .stream({
          model: CORPUS_MODEL,
          max_tokens: 1024,
          messages: [{ role: 'user', content: PROMPT }],
          tools: CORPUS_TOOLS.map((tool) => ({ name: tool.name, description: tool.description, input_schema: tool.parameters as unknown as Anthropic.Tool.InputSchema })),
        })
        .finalMessage();
      return meaningOfAnthropicMessage(message);
    }
    case 'gemini-sse': {
      const ai = new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl: origin } });
      const chunks: unknown[] = [];
      const stream = await ai.models.generateContentStream({
        model: CORPUS_MODEL,
        contents: PROMPT,
        config: { tools: [{ functionDeclarations: CORPUS_TOOLS.map((tool) => ({ name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters })) }] },
      });
      for await (const chunk of stream) chunks.push(chunk);
      return meaningOfGeminiChunks(chunks);
    }
    case 'gemini-json-array': {
      const response = await request(`${origin}/v1beta/models/${CORPUS_MODEL}:streamGenerateContent`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-goog-api-key': KEY },
        body: JSON.stringify({
          contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
          tools: [{ functionDeclarations: CORPUS_TOOLS.map((tool) => ({ name: tool.name, description: tool.description, parametersJsonSchema: tool.parameters })) }],
        }),
      });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}: ${text}`);
      return meaningOfGeminiChunks(JSON.parse(text) as unknown[]);
    }
  }
}
