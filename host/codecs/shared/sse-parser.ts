import { StringDecoder } from 'node:string_decoder';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseEvent {
  /** The `event:` field; undefined for unnamed events. */
  event: string | undefined;
  data: string;
}

/**
 * Server-sent events from a byte stream split anywhere: a StringDecoder keeps multibyte UTF-8
 * characters whole across chunks, eventsource-parser handles LF, CR and CRLF framing.
 * Synchronous: `push` returns the events completed by this chunk.
 */
export class SseParser {
  readonly #text = new StringDecoder('utf8');
  #completed: SseEvent[] = [];
  readonly #parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      this.#completed.push({ event: message.event, data: message.data });
    },
  });

  push(chunk: Buffer): SseEvent[] {
    this.#parser.feed(this.#text.write(chunk));
    return this.#take();
  }

  /** The stream ended: a final event without its blank line still counts. */
  end(): SseEvent[] {
    const rest = this.#text.end();
    if (rest) this.#parser.feed(rest);
    this.#parser.feed('\n\n');
    return this.#take();
  }

  #take(): SseEvent[] {
    if (this.#completed.length === 0) return EMPTY;
    const events = this.#completed;
    this.#completed = [];
    return events;
  }
}

const EMPTY: SseEvent[] = [];

/** One SSE frame. `data` must not contain newlines (JSON.stringify output never does). */
export function sseFrame(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}

/** A parsed event written again: a `data:` line per line of its data (what the parser joined with newlines). */
export function sseFrameOf(event: SseEvent): string {
  return sseFrame(event.data.includes('\n') ? event.data.split('\n').join('\ndata: ') : event.data, event.event);
}
