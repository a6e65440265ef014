const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** The index of the quote that closes the JSON string opening at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  let from = start + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return -1;
    let backslashes = 0;
    for (let at = quote - 1; text.charCodeAt(at) === BACKSLASH; at--) backslashes++;
    if (backslashes % 2 === 0) return quote;
    from = quote + 1;
  }
}

function skipWhitespace(text: string, from: number): number {
  let at = from;
  for (let c = text.charCodeAt(at); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = text.charCodeAt(++at));
  return at;
}

/**
 * Where the string value of the object's top-level `key` sits in a JSON text (quotes included),
 * walking tokens rather than characters: strings are skipped with indexOf, so the cost follows
 * the number of strings, not their length. Stops at the first occurrence when the key's text
 * appears nowhere after it (no duplicate key can follow); otherwise keeps the last one, as
 * JSON.parse does. Undefined when the key is absent, not a string, or spelled with escapes.
 */
function topLevelStringSpan(text: string, key: string): { start: number; end: number } | undefined {
  const token = JSON.stringify(key);
  let found: { start: number; end: number } | undefined;
  let depth = 0;
  let expectKey = false;
  let at = 0;
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === QUOTE) {
      const end = stringEnd(text, at);
      if (end === -1) return undefined;
      if (depth !== 1 || !expectKey) {
        at = end + 1;
        continue;
      }
      expectKey = false;
      if (end + 1 - at !== token.length || !text.startsWith(token, at)) {
        at = end + 1;
        continue;
      }
      const colon = skipWhitespace(text, end + 1);
      if (text.charCodeAt(colon) !== COLON) return undefined;
      const value = skipWhitespace(text, colon + 1);
      if (text.charCodeAt(value) !== QUOTE) return undefined;
      const valueEnd = stringEnd(text, value);
      if (valueEnd === -1) return undefined;
      found = { start: value, end: valueEnd + 1 };
      at = valueEnd + 1;
      if (!text.includes(token, at)) return found;
      continue;
    }
    if (c === OPEN_OBJECT) {
      depth += 1;
      if (depth === 1) expectKey = true;
    } else if (c === OPEN_ARRAY) depth += 1;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) depth -= 1;
    else if (c === COMMA && depth === 1) expectKey = true;
    at += 1;
  }
  return found;
}

/**
 * A JSON object's text with its top-level string `key` changed from `current` to `next`, edited
 * in place: the rest of the text (a 400 KB history, numbers beyond 2^53, unknown fields) stays
 * byte for byte, and nothing is parsed or serialised. Undefined when the text does not hold
 * `key: current` where the scan can see it (an escaped key, say): the caller re-serialises then.
 *
 * With `bytes` (the text as the client's UTF-8), the edit is made in the bytes, which then go on
 * without encoding the whole text again; when the bytes cannot be matched to the text (invalid
 * UTF-8 before the value), the edited text is returned instead.
 */
export function withTopLevelString(text: string, key: string, current: string, next: string, bytes?: Buffer): string | Buffer | undefined {
  const span = topLevelStringSpan(text, key);
  if (!span) return undefined;
  const value = text.slice(span.start, span.end);
  // The value as JSON.parse read it must be the one replaced (escapes in it are fine).
  if (JSON.parse(value) !== current) return undefined;
  const replacement = JSON.stringify(next);
  if (bytes) {
    const start = Buffer.byteLength(text.slice(0, span.start));
    const valueBytes = Buffer.from(value);
    if (bytes.subarray(start, start + valueBytes.length).equals(valueBytes)) {
      return Buffer.concat([bytes.subarray(0, start), Buffer.from(replacement), bytes.subarray(start + valueBytes.length)]);
    }
  }
  return `${text.slice(0, span.start)}${replacement}${text.slice(span.end)}`;
}
