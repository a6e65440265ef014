import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { isEventStream } from '../providers/upstream-client.js';
import type { StreamEncoder, UpstreamFamily } from '../codecs/codec-types.js';
import { SseParser, sseFrameOf, type SseEvent } from '../codecs/shared/sse-parser.js';
import { proxyError, type ProxyError } from '../core/proxy-error.js';
import type { RequestTrace } from '../core/request-trace.js';
import type { IrRequest } from '../ir/ir-request.js';
import type { IrStreamEvent } from '../ir/ir-stream-event.js';
import { UsageTail } from '../monitor/usage-tail.js';
import type { StreamFailure } from '../pipeline/forward-with-failover.js';
import { classifyStreamEvent } from '../pipeline/peek-first-event.js';
import type { GenerationResult } from '../pipeline/serve-generation.js';
import { loadedCodecs } from '../pipeline/lazy-codecs.js';
import type { SignatureRecorder } from '../pipeline/signature-memory.js';
import { answerEndedWhole } from './answer-ended-whole.js';
import { recordUsage } from './relay-translated.js';
import type { ClientProtocol } from './client-protocol.js';
import { rejectionError, sseErrorFrame } from './relay-upstream.js';
import { onReplyClosed } from './reply-closed.js';

type Served = Extract<GenerationResult, { kind: 'success' }>;

/** What the client's side of a stream needs, whichever account ends up serving it. */
export interface StreamOutput {
  /** The client's error format. */
  protocol: ClientProtocol;
  /** The client's stream encoder, for an attempt translated from another family (one per request, made on first need). */
  createEncoder(request: IrRequest): StreamEncoder;
  /** Records the signatures of a translated answer (signature-memory.ts), when that is on. */
  signatures?: SignatureRecorder;
  /**
   * The upstream family that speaks the client's own protocol (pass-through), to read back the
   * preamble a pass-through attempt wrote when a translated attempt takes over.
   */
  ownFamily?: UpstreamFamily;
}

/** What one upstream chunk (or the body's end) gave the client. */
interface Step {
  text: string | Buffer;
  /** Content (not preamble) reached the client in this step. */
  content: boolean;
  /** The stream failed before any content: `text` is what came before the failure. */
  failure?: StreamFailure;
  /** What to write instead of failing over (the failure is the answer: a client error in the stream). */
  asAnswer?(): string;
}

interface Source {
  push(chunk: Buffer): Step;
  /** The body ended: what is left. */
  end(): Step;
  /** What closes the client's stream after a whole answer (the encoder's end). */
  close(): string;
  /** The body failed after content: the client's last words, or undefined to cut the stream. */
  broken(cause: unknown, onBroken: (cause: unknown) => ProxyError): string;
}

/** The body ended before anything but a preamble: an attempt that failed, like a reset. */
const endedEarly = (): Error => Object.assign(new Error('The upstream stream ended before its answer began.'), { code: 'ended before content' });

/**
 * Streams an answer to the client — passed through as the upstream's bytes, or translated event
 * by event — one client write per upstream chunk, with write()'s own backpressure and nothing
 * buffered. The status, headers and the answer's first event (peeked: peek-first-event.ts) go out
 * at once. "Commit early, fail over until content": until the first content event reached the
 * client (peek-first-event.ts `classifyStreamEvent` for raw bytes; any IR event but
 * `response-start` and `usage` when translated), an error event or a broken stream fails over to
 * the next account (`committed.failover`) and the SAME client stream goes on with that attempt's
 * output, its own preamble swallowed: no second `message_start` or role chunk, block indexes from
 * 0, its usage and stop events last. The next attempt may be of another family: a translated
 * attempt reuses the request's encoder (already past its preamble), or starts one from what a
 * pass-through attempt wrote; a pass-through attempt after a translated one swallows its raw
 * preamble. When no account can serve, the client gets the error in its own protocol's
 * mid-stream form and a clean end. A client that leaves cancels the upstream in flight.
 */
export function relayStream(reply: FastifyReply, first: Served, output: StreamOutput): void {
  const trace = reply.request.trace;
  let encoder: StreamEncoder | undefined;
  const encoderFor = (request: IrRequest): StreamEncoder => (encoder ??= output.createEncoder(request));
  const contentType = first.mode === 'translated' ? encoderFor(first.request).contentType : String(first.response.headers['content-type']);
  const headers = { ...reply.getHeaders(), 'content-type': contentType, 'cache-control': 'no-cache', 'x-accel-buffering': 'no' } as OutgoingHttpHeaders;
  reply.hijack();
  const out = reply.raw;
  out.writeHead(first.mode === 'translated' ? 200 : first.response.statusCode, headers);
  /** What pass-through attempts wrote before content (a preamble: small), to start an encoder after it. */
  const rawPreamble: Buffer[] = [];
  /** The raw stream's tail, for the monitor's token counts and for judging a broken pass-through. */
  let usage: UsageTail | undefined;
  let content = false;
  let current: Readable | undefined;
  out.on('drain', () => current?.resume());
  onReplyClosed(reply, () => {
    if (current && !current.destroyed) current.destroy();
  });

  const endWith = (text: string | Buffer): void => {
    if (text.length > 0) trace.capture?.push(text);
    out.end(text);
  };
  /** No account could serve after the preamble went out: the error in the client's stream. */
  const endWithError = (error: ProxyError): void => {
    trace.error = error.kind;
    endWith(encoder ? encoder.push({ type: 'error', error }) + encoder.end() : sseErrorFrame(output.protocol, error));
  };

  const sourceFor = (served: Served, resumed: boolean): Source => {
    if (served.mode === 'translated') {
      const started = encoder !== undefined;
      const active = encoderFor(served.request);
      if (resumed && !started) primeEncoder(active, rawPreamble, output.ownFamily);
      const decoder = served.upstream.createStreamDecoder({ grounded: (served.request.serverTools?.length ?? 0) > 0 });
      return translatedSource(decoder, active, resumed, trace, output.signatures);
    }
    usage ??= new UsageTail();
    trace.usage = usage;
    // A pass-through attempt's counts are in its bytes: an earlier translated attempt's do not stand.
    delete trace.tokensIn;
    delete trace.tokensOut;
    return rawSource(served.account.provider, resumed, usage, output.protocol, rawPreamble);
  };

  const run = (served: Served, resumed: boolean): void => {
    const source = sourceFor(served, resumed);
    const body = served.response.body;
    current = body;
    let done = false;
    const detach = (): void => {
      done = true;
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
    };
    const write = (text: string | Buffer): void => {
      if (text.length === 0) return;
      trace.capture?.push(text);
      if (!out.write(text)) body.pause();
    };
    /** Applies a step; false when this attempt is over (failed over or the client is gone). */
    const apply = (step: Step): boolean => {
      write(step.text);
      if (step.content && !content) {
        content = true;
        served.committed?.confirm();
      }
      if (!step.failure) return true;
      return !failover(step.failure, step.asAnswer);
    };
    /** Hands the client stream to the next attempt; false when the failure is the answer, written as such. */
    const failover = (failure: StreamFailure, asAnswer?: () => string): boolean => {
      const next = served.committed?.failover(failure);
      if (!next) {
        if (out.destroyed) {
          detach();
          return true;
        }
        // The failure is the answer (a client error sent in the stream): it is the client's now.
        content = true;
        if (asAnswer) write(asAnswer());
        return false;
      }
      detach();
      next.then(
        (result) => continueWith(result),
        () => {
          // An unexpected failure of the pipeline itself: its wording stays out of the client's stream.
          if (!out.destroyed) endWithError(proxyError('upstream', 'No upstream could take over the stream.'));
        },
      );
      return true;
    };
    const onData = (chunk: Buffer): void => {
      if (!done) apply(source.push(chunk));
    };
    const onEnd = (): void => {
      if (done) return;
      const step = source.end();
      if (!content && !step.content && !step.failure && served.committed) {
        // Nothing but a preamble came: as good as a reset, for failover.
        write(step.text);
        if (failover({ kind: 'broken', cause: endedEarly() })) return;
      } else if (!apply(step)) return;
      if (done) return;
      detach();
      endWith(source.close());
    };
    const onError = (cause: unknown): void => {
      if (done || out.destroyed) return;
      if (!content && served.committed) {
        if (failover({ kind: 'broken', cause })) return;
      }
      detach();
      const last = source.broken(cause, served.onBroken);
      if (last === undefined) out.destroy();
      else endWith(last);
    };
    const head = served.head.length === 1 ? served.head[0]! : Buffer.concat(served.head as Buffer[]);
    if (head.length === 0 || apply(source.push(head))) {
      // A short stream's end can come in the same read as its only event: Node then emits 'end' on
      // the next tick even though the peek paused the body, before this relay listened. Ask the body.
      if (served.ended || body.readableEnded) return onEnd();
      body.on('data', onData);
      body.once('end', onEnd);
      body.once('error', onError);
      // Errors while the body sat paused after the peek were swallowed there: report them now.
      if (body.errored) onError(body.errored);
      else if (!out.writableNeedDrain) body.resume();
    }
  };

  const continueWith = (result: GenerationResult): void => {
    if (out.destroyed) {
      if (result.kind === 'success') result.response.body.destroy();
      return;
    }
    switch (result.kind) {
      case 'error':
        return endWithError(result.error);
      case 'rejected':
        return endWithError(rejectionError(result));
    }
    if (result.mode === 'pass-through' && !isEventStream(result.response)) {
      result.response.body.destroy();
      return endWithError(proxyError('upstream', 'The upstream answered the stream in another format.'));
    }
    run(result, true);
  };

  run(first, false);
}

/**
 * A translated attempt after a pass-through one: the client already has the preamble in its own
 * protocol. The encoder is taken past its own preamble (what it writes is dropped), from that
 * preamble read back when a family speaks the client's protocol, else from a bare start.
 */
function primeEncoder(encoder: StreamEncoder, rawPreamble: readonly Buffer[], family: UpstreamFamily | undefined): void {
  const events = family ? loadedCodecs().UPSTREAM_CODECS[family].createStreamDecoder().push(Buffer.concat(rawPreamble)) : [];
  const start = events.find((event) => event.type === 'response-start') ?? { type: 'response-start', id: '', model: '', created: Math.floor(Date.now() / 1000) };
  encoder.push(start);
  encoder.flush?.();
}

function translatedSource(
  decoder: { push(chunk: Buffer): IrStreamEvent[]; end(): IrStreamEvent[] },
  encoder: StreamEncoder,
  resumed: boolean,
  trace: RequestTrace,
  signatures: SignatureRecorder | undefined,
): Source {
  let watching = true;
  /** The same bytes as SSE events while no content came: an error's own data, for failover's verdict (quota, key). */
  let raw: { parser: SseParser; events: SseEvent[] } | undefined = { parser: new SseParser(), events: [] };
  const see = (chunk: Buffer): Buffer => {
    if (raw) raw.events.push(...raw.parser.push(chunk));
    return chunk;
  };
  const errorData = (error: ProxyError): string => {
    const event = raw?.events.find((candidate) => candidate.data.includes('error'));
    return event?.data ?? JSON.stringify({ error: { message: error.message } });
  };
  const encode = (event: IrStreamEvent): string => {
    if (event.type === 'usage' || event.type === 'finish') recordUsage(trace, event.usage);
    else if (event.type === 'error') trace.error = event.error.kind;
    signatures?.observe(event);
    return encoder.push(event);
  };
  const encodeAll = (events: readonly IrStreamEvent[]): string => {
    let text = '';
    for (const event of events) text += encode(event);
    return text;
  };
  const step = (events: readonly IrStreamEvent[]): Step => {
    let text = '';
    let content = false;
    for (let i = 0; i < events.length; i += 1) {
      const event = events[i]!;
      // The client already has this answer's start from an earlier attempt.
      if (resumed && event.type === 'response-start') continue;
      if (watching) {
        if (event.type === 'error') {
          const rest = events.slice(i);
          return {
            text: text + (encoder.flush?.() ?? ''),
            content,
            failure: { kind: 'error-event', error: event.error, bodyText: errorData(event.error) },
            asAnswer: () => {
              watching = false;
              return encodeAll(rest);
            },
          };
        }
        if (event.type !== 'response-start' && event.type !== 'usage') {
          watching = false;
          raw = undefined;
          content = true;
        }
      }
      text += encode(event);
    }
    return { text: text + (encoder.flush?.() ?? ''), content };
  };
  return {
    push: (chunk) => step(decoder.push(see(chunk))),
    end: () => step(decoder.end()),
    close: () => encoder.end(),
    broken(cause, onBroken) {
      // Some servers drop the connection after their last event instead of ending the response
      // (undici: "other side closed" / "terminated"), or hold it open until the idle timeout. If
      // the decoder already has the whole answer, its end() flushes it with no error: the client
      // gets a clean end and the account does not rest for a stream that did not break.
      const flushed = decoder.end();
      const events = flushed.some((event) => event.type === 'error') ? [{ type: 'error' as const, error: onBroken(cause) }] : flushed;
      return encodeAll(events) + encoder.end();
    },
  };
}

/**
 * A pass-through attempt. While no content has reached the client, each chunk's events are
 * classified: a chunk of whole events with no error is written as it came (one write, the
 * upstream's bytes); otherwise only whole events are written, re-framed, so that a failover never
 * leaves half an event on the client's side — without the preamble when an earlier attempt wrote
 * one (`resumed`), and without the error. After content, at an event boundary, bytes pass as they
 * come, unparsed.
 */
function rawSource(family: UpstreamFamily, resumed: boolean, usage: UsageTail, protocol: ClientProtocol, rawPreamble: Buffer[]): Source {
  const parser = new SseParser();
  let watching = true;
  let contentSeen = false;
  /** The last chunk ended inside an event: the parser holds its start, which was not written. */
  let partial = false;
  let atLineStart = true;
  const step = (chunk: Buffer, events: readonly SseEvent[], boundary: boolean): Step => {
    let kept = '';
    let content = false;
    for (let i = 0; i < events.length; i += 1) {
      const event = events[i]!;
      if (contentSeen) {
        kept += sseFrameOf(event);
        continue;
      }
      const verdict = classifyStreamEvent(family, event);
      if (verdict === 'preamble') {
        if (!resumed) kept += sseFrameOf(event);
        continue;
      }
      if (verdict === 'content') {
        contentSeen = content = true;
        kept += sseFrameOf(event);
        continue;
      }
      const rest = events.slice(i);
      partial = !boundary;
      if (!resumed) rawPreamble.push(Buffer.from(kept));
      return {
        text: kept,
        content,
        failure: { kind: 'error-event', error: verdict.error, bodyText: event.data },
        asAnswer: () => {
          contentSeen = true;
          return rest.map(sseFrameOf).join('');
        },
      };
    }
    const whole = !resumed && !partial && boundary;
    partial = !boundary;
    if (contentSeen && boundary) watching = false;
    const text = whole ? chunk : kept;
    if (!content && !resumed) rawPreamble.push(typeof text === 'string' ? Buffer.from(text) : text);
    return { text, content };
  };
  const noteEnd = (text: string | Buffer): void => {
    if (text.length > 0) atLineStart = (typeof text === 'string' ? text.charCodeAt(text.length - 1) : text[text.length - 1]) === 0x0a;
  };
  return {
    push(chunk) {
      // Swallowed preamble too: the monitor's counts come from the attempt that answers.
      usage.push(chunk);
      if (!watching) {
        noteEnd(chunk);
        return { text: chunk, content: false };
      }
      const result = step(chunk, parser.push(chunk), endsAtBoundary(chunk));
      noteEnd(result.text);
      return result;
    },
    end() {
      if (!watching) return { text: '', content: false };
      return step(Buffer.alloc(0), parser.end(), true);
    },
    close: () => '',
    broken(cause, onBroken) {
      if (answerEndedWhole(protocol, true, usage.text())) return '';
      // Close a half-written event first so the error frame stands on its own (a blank line more is harmless).
      return (atLineStart ? '\n' : '\n\n') + sseErrorFrame(protocol, onBroken(cause));
    },
  };
}

/** Whether a chunk ends between two events (a blank line: LF LF, CRLF CRLF or CR CR). */
function endsAtBoundary(chunk: Buffer): boolean {
  const n = chunk.length;
  if (n < 2) return false;
  const last = chunk[n - 1];
  if (last === 0x0a) return chunk[n - 2] === 0x0a || (n >= 4 && chunk[n - 2] === 0x0d && chunk[n - 3] === 0x0a && chunk[n - 4] === 0x0d);
  return last === 0x0d && chunk[n - 2] === 0x0d;
}
