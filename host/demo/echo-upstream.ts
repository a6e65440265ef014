import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Account } from '../../shared/accounts.js';

/**
 * The `--demo` model: a tiny OpenAI-compatible server on a random loopback port that echoes the
 * last user message. It goes through the real pipeline (pool, mapping, upstream pool, streaming),
 * so the README's first request works with no upstream key and still exercises everything.
 */
export const DEMO_ACCOUNT_ID = 'demo';
export const DEMO_MODELS = ['localgate-echo'];

export interface DemoUpstream {
  account: Account;
  close(): Promise<void>;
}

export async function startDemoUpstream(): Promise<DemoUpstream> {
  const key = `demo-${randomBytes(16).toString('hex')}`;
  const server = createServer((request, response) => {
    handle(request, response, key).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    account: {
      id: DEMO_ACCOUNT_ID,
      provider: 'openai',
      label: 'demo (local echo model)',
      base_url: `http://127.0.0.1:${port}/v1`,
      api_key: key,
      enabled: true,
    },
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: string; content?: unknown };
    if (message?.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (Array.isArray(message.content)) {
      return message.content
        .map((part: { type?: string; text?: string }) => (part?.type === 'text' ? (part.text ?? '') : ''))
        .join('');
    }
  }
  return '';
}

async function handle(request: IncomingMessage, response: ServerResponse, key: string): Promise<void> {
  if (request.headers.authorization !== `Bearer ${key}`) {
    response.writeHead(401, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: 'bad demo key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }));
    return;
  }
  if (request.method === 'GET' && request.url === '/v1/models') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ object: 'list', data: DEMO_MODELS.map((id) => ({ id, object: 'model', created: 0, owned_by: 'localgate-demo' })) }));
    return;
  }
  if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } }));
    return;
  }
  const body = await readJson(request);
  const model = String(body.model ?? DEMO_MODELS[0]);
  const text = `Echo from the Localgate demo model: ${lastUserText(body.messages) || '(no user message)'}`;
  const id = `chatcmpl-demo${randomBytes(6).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const promptTokens = Math.ceil(JSON.stringify(body.messages ?? '').length / 4);
  const completionTokens = text.split(/\s+/).length;
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  if (body.stream !== true) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({
      id, object: 'chat.completion', created, model,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage,
    }));
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const chunk = (delta: object, finish: string | null): string =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  response.write(chunk({ role: 'assistant', content: '' }, null));
  for (const word of text.split(/(?<= )/)) response.write(chunk({ content: word }, null));
  response.write(chunk({}, 'stop'));
  const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
  if (includeUsage) response.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
  response.end('data: [DONE]\n\n');
}
