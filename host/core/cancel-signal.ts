/**
 * What the pipeline and undici read of a cancellation signal: whether it fired, why, and 'abort'
 * listeners. An AbortSignal is one; ClientGoneSignal is the cheap one made for every request.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * Fires once, when the client goes away before its reply is complete. Every request gets one and
 * almost none fires, so it is a plain object with a listener list: an AbortController builds an
 * EventTarget (its maps and option validation, on adding and on removing undici's listener),
 * which cost a pass-through about 4% of its CPU. Listeners run once, in the order added, like
 * `{ once: true }` ones on an AbortSignal; one added after the abort never runs, as there.
 */
export class ClientGoneSignal implements CancelSignal {
  aborted = false;
  /** What undici fails the upstream request with: what AbortController.abort() gives. */
  reason: unknown = undefined;
  #listeners: Array<() => void> | null = null;

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) return;
    (this.#listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.#listeners;
    const index = listeners ? listeners.indexOf(listener) : -1;
    if (index !== -1) listeners!.splice(index, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new DOMException('This operation was aborted', 'AbortError');
    const listeners = this.#listeners;
    this.#listeners = null;
    if (listeners) for (const listener of listeners) listener();
  }
}
