import type { ClientProtocol } from './client-protocol.js';

/**
 * Whether a passed-through stream had already said its last word when its body failed. Some
 * servers (or the proxies in front of them) drop the connection after the last event instead of
 * ending the response, and undici then reports "other side closed" / "terminated" although the
 * whole answer arrived; others hold the connection open until the idle timeout. Such an answer
 * must reach the client as it is, not followed by an error frame (which the SDKs raise), and the
 * account must not rest for it.
 *
 * Judged once, when the body fails, from the stream's last bytes (`tail`, latin1: only ASCII
 * markers are looked for), by each format's own last word:
 * - SSE must end on an event boundary, and that last event is Anthropic's `message_stop`,
 *   OpenAI's `[DONE]`, a chunk with a `finish_reason` or the usage-only chunk (`choices: []`;
 *   compatible servers may omit `[DONE]`), or a Gemini chunk with `finishReason` / a prompt
 *   `blockReason` (Gemini sends nothing after its last chunk; the reason sits near the end of the
 *   chunk, so a chunk larger than the tail still shows it);
 * - Gemini's JSON-array form must end with its top-level `]` (Google pretty-prints the array,
 *   so that one alone sits at the start of a line) after a chunk with `finishReason`.
 * Anything else counts as broken, as before. JSON strings escape their quotes, so answer text
 * cannot fake these markers.
 */
export function answerEndedWhole(protocol: ClientProtocol, sse: boolean, tail: string): boolean {
  if (!sse) return protocol === 'gemini' && /\n\]\s*$/.test(tail) && GEMINI_LAST_WORD.test(tail);
  if (!/\r?\n\r?\n$/.test(tail)) return false;
  const events = tail.split(/\r?\n\r?\n/).filter((event) => event.trim() !== '');
  const last = events.at(-1) ?? '';
  switch (protocol) {
    case 'anthropic':
      return /"type"\s*:\s*"message_stop"/.test(last);
    case 'openai':
      return /^data:\s*\[DONE\]\s*$/m.test(last) || /"finish_reason"\s*:\s*"/.test(last) || /"choices"\s*:\s*\[\s*\]/.test(last);
    case 'gemini':
      return GEMINI_LAST_WORD.test(last);
  }
}

const GEMINI_LAST_WORD = /"(?:finishReason|blockReason)"\s*:\s*"/;
