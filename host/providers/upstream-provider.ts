import type { IncomingHttpHeaders } from 'node:http';
import type { Account } from '../../shared/accounts.js';
import type { UpstreamFamily } from '../codecs/codec-types.js';

/**
 * How to reach one upstream family: endpoint URLs, auth headers and model-list parsing. Wire
 * formats live in the codecs; this only knows addresses and credentials.
 */
export interface UpstreamProvider {
  readonly family: UpstreamFamily;
  generateUrl(account: Account, model: string, stream: boolean): URL;
  /** The family's own token-counting endpoint, if it has one. */
  countTokensUrl?(account: Account, model: string): URL;
  modelsUrl(account: Account): URL;
  /** Auth and content headers; `client` carries the caller's headers for same-family pass-through. */
  headers(account: Account, options: { stream: boolean; client?: IncomingHttpHeaders }): Record<string, string>;
  /** Model names from the family's model-list response. */
  parseModelList(body: unknown): string[];
}
