/**
 * Explains a 404 that comes from a base URL glued wrong (the most common first-run mistake):
 * OpenAI clients need `http://HOST:PORT/v1`, Anthropic and Gemini clients the bare origin.
 */
export function notFoundMessage(method: string, url: string, origin: string): string {
  const path = url.split('?', 1)[0]!;
  const unknown = `Unknown path ${method} ${path}.`;
  const openAIBase = `${origin}/v1`;
  if (/^\/v1\/v1(\/|$)/.test(path)) {
    return `${unknown} The path has /v1 twice: the base URL probably already ends in /v1 and the client adds another. Use base URL ${openAIBase} for OpenAI clients, or ${origin} (no /v1) for Anthropic clients such as Claude Code.`;
  }
  if (/\/chat\/completions\/.+/.test(path)) {
    return `${unknown} The base URL seems to include /chat/completions (the client appended ${path.replace(/^.*\/chat\/completions/, '')}). Set the base URL to ${openAIBase}; the client adds the endpoint itself.`;
  }
  if (/^\/(v1\/)?v1beta\/.*v1beta/.test(path) || /^\/v1\/v1beta(\/|$)/.test(path)) {
    return `${unknown} Gemini clients add /v1beta themselves: set the Gemini endpoint to ${origin} (no path).`;
  }
  if (/^\/v1\/models\/[^/]+:(generateContent|streamGenerateContent|countTokens)$/.test(path)) {
    return `${unknown} Gemini requests go to /v1beta/models/…: set the Gemini endpoint to ${origin} and keep the SDK's default API version.`;
  }
  if (/^\/(chat\/completions|completions|models|embeddings|responses|images)(\/|$)/.test(path)) {
    return `${unknown} /v1 is missing: OpenAI clients need base URL ${openAIBase} (ending in /v1).`;
  }
  return `${unknown} Localgate serves OpenAI clients at ${openAIBase}, Anthropic clients at ${origin} and Gemini clients at ${origin}; GET /healthz checks the proxy.`;
}
