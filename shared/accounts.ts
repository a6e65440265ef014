import * as z from 'zod';
import { PROVIDERS } from './providers.js';

export { PROVIDERS };
export const ProviderSchema = z.enum(PROVIDERS);
export type Provider = z.infer<typeof ProviderSchema>;

/** A model name or a glob with `*` wildcards, e.g. `gpt-4o*`. */
export const ModelPatternSchema = z.string().min(1).max(200);

const BaseUrlSchema = z
  .string()
  .url('base_url must be an absolute http(s) URL')
  .refine((url) => /^https?:\/\//i.test(url), 'base_url must start with http:// or https://')
  .transform((url) => url.replace(/\/+$/, ''));

/**
 * One upstream account. Base URLs follow each provider SDK's convention: openai
 * `https://host/v1`, anthropic and gemini the bare origin.
 */
/** An account id: generated when the account is added (`acc_` + 10 hex), or any id of this shape. */
export const AccountIdSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'id may hold letters, digits, _ and -');

export const AccountSchema = z.strictObject({
  /** Stable id, generated when the account is added. */
  id: AccountIdSchema,
  provider: ProviderSchema,
  /** What the user calls it; shown in status and the monitor instead of anything secret. */
  label: z.string().min(1).max(100),
  base_url: BaseUrlSchema,
  /** The upstream key. Never leaves the host unmasked. */
  api_key: z.string().min(1),
  /** Models this account serves (exact or glob). Absent = any model. */
  models: z.array(ModelPatternSchema).optional(),
  enabled: z.boolean().default(true),
});
export type Account = z.infer<typeof AccountSchema>;

/** What `accounts add` and the popup send: the id is assigned by the host. */
export const NewAccountSchema = AccountSchema.omit({ id: true }).extend({
  label: z.string().min(1).max(100).optional(),
});
export type NewAccount = z.input<typeof NewAccountSchema>;

/**
 * What `accounts edit` and the options page change on an account: only the fields named. The key
 * is write-only: a new one replaces the old, which is never read back. `models: null` = any model.
 */
export const AccountEditSchema = z.strictObject({
  label: z.string().min(1).max(100).optional(),
  base_url: BaseUrlSchema.optional(),
  models: z.array(ModelPatternSchema).min(1).nullable().optional(),
  api_key: z.string().min(1).optional(),
});
export type AccountEdit = z.input<typeof AccountEditSchema>;

export const AccountsFileSchema = z.strictObject({
  version: z.literal(1),
  accounts: z.array(AccountSchema),
});
export type AccountsFile = z.infer<typeof AccountsFileSchema>;

/**
 * Why an account (or one of its models) rests: 429, 5xx, 529/503 overloaded, connection failure,
 * no answer in time, a spent quota or balance (until the provider's reset), or no access to the
 * model (a 403 that is not about the key, a region the provider refuses).
 */
export const COOLING_KINDS = ['rate-limited', 'server-error', 'overloaded', 'network-error', 'timeout', 'quota-exhausted', 'forbidden'] as const;
export const CoolingKindSchema = z.enum(COOLING_KINDS);
export type CoolingKind = z.infer<typeof CoolingKindSchema>;

/** Why an account serves nothing until someone acts: the upstream refused the key, or the user turned it off. */
export const DISABLED_KINDS = ['key-rejected', 'by-user'] as const;
export const DisabledKindSchema = z.enum(DISABLED_KINDS);
export type DisabledKind = z.infer<typeof DisabledKindSchema>;

/** An account's health as the pool sees it (for the account as a whole; see `models_cooling` for per-model rests). */
export const AccountStateSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ready') }),
  z.object({
    state: z.literal('cooling'),
    /** Epoch ms when the account becomes ready again. */
    until: z.number(),
    kind: CoolingKindSchema,
    /** Human words, e.g. `rate limited (HTTP 429)`. */
    reason: z.string(),
  }),
  z.object({
    state: z.literal('disabled'),
    kind: DisabledKindSchema,
    reason: z.string(),
  }),
]);
export type AccountState = z.infer<typeof AccountStateSchema>;

/** One model an account rests for while it still serves others (providers limit per model). */
export const ModelCoolingSchema = z.object({
  model: z.string(),
  /** Epoch ms when the account serves this model again. */
  until: z.number(),
  kind: CoolingKindSchema,
  reason: z.string(),
});
export type ModelCooling = z.infer<typeof ModelCoolingSchema>;

/** An account as shown outside the host: key masked, state attached. */
export const AccountViewSchema = z.object({
  id: z.string(),
  provider: ProviderSchema,
  label: z.string(),
  base_url: z.string(),
  api_key_masked: z.string(),
  models: z.array(z.string()).optional(),
  enabled: z.boolean(),
  /** True for the in-memory `--demo` account, which is never saved. */
  demo: z.boolean().optional(),
  status: AccountStateSchema,
  /** Models this account rests for right now (absent when none), soonest first. */
  models_cooling: z.array(ModelCoolingSchema).optional(),
  /**
   * How many models the account serves: its upstream's list (filtered by `models` when set) and
   * its exact names. Absent until the daemon has fetched the list once.
   */
  model_count: z.number().int().nonnegative().optional(),
});
export type AccountView = z.infer<typeof AccountViewSchema>;

/**
 * What testing an account (one model-list call with its key) found: it works, the provider
 * refused the key, nothing answered, or the provider said something else (`message`, its words).
 */
export const ACCOUNT_TEST_OUTCOMES = ['works', 'key-rejected', 'unreachable', 'provider-error'] as const;
export const AccountTestResultSchema = z.object({
  outcome: z.enum(ACCOUNT_TEST_OUTCOMES),
  /** Why it did not work, safe to show (never the key). */
  message: z.string().optional(),
  /** With `works`: how many models the account serves (as `model_count`). */
  modelCount: z.number().int().nonnegative().optional(),
});
export type AccountTestResult = z.infer<typeof AccountTestResultSchema>;
