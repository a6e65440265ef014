import type { IncomingHttpHeaders } from 'node:http';

/**
 * How a fake upstream answers its model list, as tests set it. Model-list requests are recorded
 * apart from `requests`: the daemon fetches lists on its own (when an account is added or reset,
 * at start, in the background), and generation tests count and inspect what they sent.
 */
export interface ModelListControl {
  modelListRequests: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>;
  /** The most models one page holds: the provider's own limit, lowered by a test to make the list span pages. */
  modelsPageLimit: number;
  /** Held this long before answering (keeps a fetch in flight). */
  modelListDelayMs: number;
  /** Answered instead of the list, after the key check: a status and the provider's real body. */
  modelListError?: { status: number; body: object };
}

export function modelListDefaults(pageLimit: number): ModelListControl {
  return { modelListRequests: [], modelsPageLimit: pageLimit, modelListDelayMs: 0 };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
