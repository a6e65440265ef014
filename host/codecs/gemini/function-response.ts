/**
 * Tool results ↔ Gemini `functionResponse.response`, which must be a JSON object
 * (google.protobuf.Struct) while every other protocol carries text:
 * - text that is a JSON object goes as that object (the model sees the structure);
 * - any other text goes as `{"result": text}` — also a JSON object whose only key is `result` or
 *   `error`, so that decoding can undo the wrapping without ambiguity;
 * - an error result goes as `{"error": text}`.
 * Decoding reverses this: `{"result": string}` → the string, `{"error": string}` → an error
 * result, any other object → its JSON text.
 * @see https://ai.google.dev/gemini-api/docs/function-calling#step-4
 */
export function toFunctionResponseObject(text: string, isError: boolean): Record<string, unknown> {
  if (isError) return { error: text };
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        const keys = Object.keys(parsed);
        const looksWrapped = keys.length === 1 && (keys[0] === 'result' || keys[0] === 'error');
        if (!looksWrapped) return parsed as Record<string, unknown>;
      }
    } catch {
      // Not JSON: wrapped below.
    }
  }
  return { result: text };
}

export function fromFunctionResponseObject(response: unknown): { text: string; isError: boolean } {
  if (typeof response === 'object' && response !== null && !Array.isArray(response)) {
    const keys = Object.keys(response);
    const record = response as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === 'result' && typeof record['result'] === 'string') return { text: record['result'], isError: false };
    if (keys.length === 1 && keys[0] === 'error' && typeof record['error'] === 'string') return { text: record['error'], isError: true };
    return { text: JSON.stringify(response), isError: false };
  }
  if (typeof response === 'string') return { text: response, isError: false };
  return { text: response === undefined ? '' : JSON.stringify(response), isError: false };
}
