import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors';
import { readCatalog, shippedLocales, type Catalog, type CatalogEntry } from './i18n-shim';

const english = readCatalog('en');
const PLURAL_FORM = /^(.+)_(zero|one|two|few|many|other)$/;

/** `accountsReady_few` → [`accountsReady`, `few`] for the plural messages English has (`_other`), else null. */
function pluralForm(key: string): [base: string, form: string] | null {
  const match = PLURAL_FORM.exec(key);
  return match && `${match[1]}_other` in english ? [match[1]!, match[2]!] : null;
}

function plainKeys(catalog: Catalog): string[] {
  return Object.keys(catalog)
    .filter((key) => !pluralForm(key))
    .sort();
}

/** Each plural message's forms, e.g. `{requestCount: ['few', 'many', 'one', 'other']}`. */
function pluralForms(catalog: Catalog): Record<string, string[]> {
  const forms: Record<string, string[]> = {};
  for (const key of Object.keys(catalog)) {
    const plural = pluralForm(key);
    if (plural) (forms[plural[0]] ??= []).push(plural[1]);
  }
  for (const list of Object.values(forms)) list.sort();
  return forms;
}

/** The English entry a key is checked against: the `_other` form for a plural. */
function englishFor(key: string): CatalogEntry {
  const plural = pluralForm(key);
  return english[plural ? `${plural[0]}_other` : key]!;
}

/** `{name: content}` of an entry's placeholders, names lower-cased (Chrome ignores their case). */
function placeholdersOf(entry: CatalogEntry): Record<string, string> {
  return Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([name, value]) => [name.toLowerCase(), value.content]));
}

/** The `$NAME$` references in a message, lower-cased, each once. */
function referencedPlaceholders(message: string): string[] {
  return [...new Set([...message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((match) => match[1]!.toLowerCase()))].sort();
}

describe('the extension messages files (_locales)', () => {
  it('ship English (the default locale), Russian and Simplified Chinese', () => {
    expect(shippedLocales()).toEqual(['en', 'ru', 'zh_CN']);
  });

  describe.each(shippedLocales())('%s', (locale) => {
    const catalog = readCatalog(locale);
    const language = catalog.messagesLocale?.message ?? '';

    it("names its own language in messagesLocale (plural rules and <html lang> use it)", () => {
      expect(language).toBe(locale.replace('_', '-'));
    });

    it('has exactly the English messages, and for each plural message exactly the forms its language uses', () => {
      expect(plainKeys(catalog)).toEqual(plainKeys(english));
      const forms = pluralForms(catalog);
      expect(Object.keys(forms).sort()).toEqual(Object.keys(pluralForms(english)).sort());
      const categories = [...new Intl.PluralRules(language).resolvedOptions().pluralCategories].sort();
      for (const [base, list] of Object.entries(forms)) expect(list, base).toEqual(categories);
    });

    it('has the same placeholders as English in every message, numbered in alphabetical order, each one used', () => {
      for (const [key, entry] of Object.entries(catalog)) {
        const placeholders = placeholdersOf(entry);
        expect(placeholders, key).toEqual(placeholdersOf(englishFor(key)));
        // utils/i18n.ts passes named values as getMessage's $1, $2, … in alphabetical order.
        const names = Object.keys(placeholders).sort();
        expect(names.map((name) => placeholders[name]), key).toEqual(names.map((_, index) => `$${index + 1}`));
        expect(referencedPlaceholders(entry.message), key).toEqual(names);
      }
    });

    it('has no empty message and no stray "$" (a literal dollar is "$$")', () => {
      for (const [key, entry] of Object.entries(catalog)) {
        expect(entry.message.trim(), key).not.toBe('');
        expect(entry.message.replace(/\$\$|\$[A-Za-z0-9_@]+\$/g, ''), key).not.toContain('$');
      }
    });
  });

  it("says in English what the daemon says for each error code, so an English UI shows the daemon's words", () => {
    for (const [code, { message }] of Object.entries(ERROR_CODES)) expect(english[`error_${code}`]?.message, code).toBe(message);
  });
});
