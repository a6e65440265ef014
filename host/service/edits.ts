import { randomBytes } from 'node:crypto';
import { AccountEditSchema, AccountSchema, NewAccountSchema, type Account } from '../../shared/accounts.js';
import { ProxyConfigPatchSchema, ProxyConfigSchema, type ProxyConfig } from '../../shared/config.js';
import { LocalgateError } from '../../shared/errors.js';
import { describeZodError } from '../store/atomic-file.js';

/**
 * Pure edits of config and accounts, shared by the daemon (live) and the CLI (files, when no
 * daemon runs), so both validate exactly alike.
 */
export function applyConfigPatch(config: ProxyConfig, patch: unknown): ProxyConfig {
  const parsedPatch = ProxyConfigPatchSchema.safeParse(patch);
  if (!parsedPatch.success) throw new LocalgateError('INVALID_CONFIG', `Invalid configuration: ${describeZodError(parsedPatch.error)}`);
  const merged = ProxyConfigSchema.safeParse({ ...config, ...stripUndefined(parsedPatch.data) });
  if (!merged.success) throw new LocalgateError('INVALID_CONFIG', `Invalid configuration: ${describeZodError(merged.error)}`);
  return merged.data;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function newAccountId(): string {
  return `acc_${randomBytes(5).toString('hex')}`;
}

export function addAccount(accounts: readonly Account[], input: unknown): { accounts: Account[]; added: Account } {
  const parsed = NewAccountSchema.safeParse(input);
  if (!parsed.success) throw new LocalgateError('INVALID_ACCOUNT', `Invalid account: ${describeZodError(parsed.error)}`);
  const host = safeHost(parsed.data.base_url);
  const added = AccountSchema.parse({
    ...parsed.data,
    id: newAccountId(),
    label: parsed.data.label ?? `${parsed.data.provider} @ ${host}`,
  });
  return { accounts: [...accounts, added], added };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export function findAccount(accounts: readonly Account[], id: string): Account {
  const account = accounts.find((a) => a.id === id);
  if (!account) throw new LocalgateError('ACCOUNT_NOT_FOUND', `No account with id "${id}"`);
  return account;
}

export function removeAccount(accounts: readonly Account[], id: string): Account[] {
  findAccount(accounts, id);
  return accounts.filter((a) => a.id !== id);
}

export function setAccountEnabled(accounts: readonly Account[], id: string, enabled: boolean): { accounts: Account[]; changed: Account } {
  const changed = { ...findAccount(accounts, id), enabled };
  return { accounts: accounts.map((a) => (a.id === id ? changed : a)), changed };
}

/** Applies an edit (label, base URL, models, a new key) to one account; fields not named stay. */
export function updateAccount(accounts: readonly Account[], id: string, input: unknown): { accounts: Account[]; changed: Account } {
  const current = findAccount(accounts, id);
  const parsed = AccountEditSchema.safeParse(input);
  if (!parsed.success) throw new LocalgateError('INVALID_ACCOUNT', `Invalid account: ${describeZodError(parsed.error)}`);
  const { models, ...rest } = stripUndefined(parsed.data);
  const next: Record<string, unknown> = { ...current, ...rest };
  if (models === null) delete next.models; // back to any model
  else if (models !== undefined) next.models = models;
  const changed = AccountSchema.parse(next);
  return { accounts: accounts.map((a) => (a.id === id ? changed : a)), changed };
}
