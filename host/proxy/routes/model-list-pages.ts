/**
 * The proxy's model list in pages, as each provider pages its own, for clients that ask for a
 * page size (the SDKs' auto-pagination follows the cursors). Without one, the whole list in one
 * answer: a model picker that reads a single page still sees every model.
 */

/** What an Anthropic-shaped list page tells its client. */
export interface AnthropicModelPage {
  ids: string[];
  has_more: boolean;
}

/**
 * Anthropic's `limit` (1 to 1000), `after_id` and `before_id`: the models after (or before) the
 * cursor, `has_more` in that direction. An unknown cursor reads as an empty end of the list.
 * @see https://docs.anthropic.com/en/api/models-list
 */
export function anthropicModelPage(models: readonly string[], query: Record<string, unknown>): AnthropicModelPage {
  const limit = pageSize(query['limit'], 1000) ?? models.length;
  const before = typeof query['before_id'] === 'string' ? query['before_id'] : undefined;
  const after = typeof query['after_id'] === 'string' ? query['after_id'] : undefined;
  if (before !== undefined) {
    const end = Math.max(0, models.indexOf(before));
    const start = Math.max(0, end - limit);
    return { ids: models.slice(start, end), has_more: start > 0 };
  }
  const start = after === undefined ? 0 : models.includes(after) ? models.indexOf(after) + 1 : models.length;
  const end = Math.min(models.length, start + limit);
  return { ids: models.slice(start, end), has_more: end < models.length };
}

/**
 * Gemini's `pageSize` (at most 1000) and `pageToken`: the page and, while models remain, a
 * `nextPageToken` (here the index of the next model; opaque to clients).
 * @see https://ai.google.dev/api/models#method:-models.list
 */
export function geminiModelPage(models: readonly string[], query: Record<string, unknown>): { ids: string[]; nextPageToken?: string } {
  const size = pageSize(query['pageSize'], 1000) ?? models.length;
  const token = typeof query['pageToken'] === 'string' ? Number.parseInt(query['pageToken'], 10) : 0;
  const start = Number.isInteger(token) && token > 0 ? Math.min(token, models.length) : 0;
  const end = Math.min(models.length, start + size);
  return end < models.length ? { ids: models.slice(start, end), nextPageToken: String(end) } : { ids: models.slice(start, end) };
}

/** A positive page size from the query, capped; undefined when the client asked for none. */
function pageSize(value: unknown, max: number): number | undefined {
  const size = typeof value === 'string' ? Number.parseInt(value, 10) : NaN;
  return Number.isInteger(size) && size > 0 ? Math.min(size, max) : undefined;
}
