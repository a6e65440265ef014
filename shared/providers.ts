/**
 * The upstream API families, in a module of their own without zod, so the CLI can offer them as
 * `--provider` choices without loading the schemas (shared/accounts.ts builds ProviderSchema from it).
 */
export const PROVIDERS = ['openai', 'anthropic', 'gemini'] as const;
