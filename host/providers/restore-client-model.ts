/**
 * Puts the model name the client asked for back into the first `"model": "<upstream name>"` of a
 * same-family answer's first bytes, where the upstream named the mapped model. Byte-level (the
 * bytes may end mid-character), on the held head only: once per request, never per chunk.
 * Returns `head` unchanged when the name is not found there.
 */
export function restoreClientModel(head: readonly Buffer[], upstreamModel: string, clientModel: string): Buffer[] {
  if (upstreamModel === clientModel || head.length === 0) return [...head];
  const bytes = head.length === 1 ? head[0]! : Buffer.concat(head);
  const value = JSON.stringify(upstreamModel);
  for (const spelling of [`"model":${value}`, `"model": ${value}`]) {
    const at = bytes.indexOf(spelling);
    if (at === -1) continue;
    const start = at + spelling.length - value.length;
    return [bytes.subarray(0, start), Buffer.from(JSON.stringify(clientModel)), bytes.subarray(start + Buffer.byteLength(value))];
  }
  return [...head];
}
