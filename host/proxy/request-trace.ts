import type { UsageTail } from '../monitor/usage-tail.js';

/**
 * What the pipeline learns about one request, for its monitor entry. One object per request,
 * created in the first hook; routes fill in what they know.
 */
export interface RequestTrace {
  id: string;
  /** Epoch ms and a monotonic start, for the entry's time and latency. */
  time: number;
  started: number;
  protocol: 'openai' | 'anthropic' | 'gemini' | 'health' | 'other';
  model?: string;
  mappedModel?: string;
  account?: string;
  ttfbMs?: number;
  stream?: boolean;
  usage?: UsageTail;
  error?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    trace: RequestTrace;
  }
}
