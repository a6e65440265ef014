import type { IrWarning } from '../ir/ir-warning.js';
import type { BodyCapture } from '../monitor/body-capture.js';
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
  /** Token counts known from decoded IR (translated traffic); preferred over `usage`. */
  tokensIn?: number;
  tokensOut?: number;
  error?: string;
  /**
   * What the translation of the answered attempt dropped or changed: the decoder's warnings, the
   * upstream encoder's, then what decoding and encoding the answer adds (a live list: a stream's
   * encoder may add to it until the end). Absent for a pass-through.
   */
  warnings?: IrWarning[];
  /**
   * Present only while `monitor_capture_bodies` is on: the first bytes sent to the client.
   * Replies sent with `reply.send` are captured by an onSend hook; hijacked relays push their
   * chunks themselves.
   */
  capture?: BodyCapture;
}

declare module 'fastify' {
  interface FastifyRequest {
    trace: RequestTrace;
  }
}
