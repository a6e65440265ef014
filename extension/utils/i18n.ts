import type { ComponentChild } from 'preact';
import { browser } from '#imports';
import type english from '../public/_locales/en/messages.json';

/**
 * The extension's text, through the browser's own i18n (`_locales/<locale>/messages.json` in
 * extension/public; English is the default locale and the source of every key). The types come
 * from the English file, so a key or placeholder name missing there fails the typecheck.
 *
 * Placeholders: each message names its values (`$COUNT$`), and in every messages file the
 * placeholders, in alphabetical order, are `$1`, `$2`, … (extension/tests/i18n-catalogs.test.ts
 * checks it); that is how the named values become getMessage's positional substitutions.
 */
type Catalog = typeof english;
export type MessageKey = keyof Catalog & string;

type PlaceholderName<K extends MessageKey> = Catalog[K] extends { placeholders: infer P } ? keyof P & string : never;
/** The messages that take no values. */
export type PlainKey = { [K in MessageKey]: [PlaceholderName<K>] extends [never] ? K : never }[MessageKey];
/** No argument for a message without placeholders, else exactly its named values. */
type Values<K extends MessageKey, V> = [PlaceholderName<K>] extends [never] ? [] : [values: Record<PlaceholderName<K>, V>];

/**
 * Plural messages are one key per CLDR form, `<base>_<form>`: English has `_one` and `_other`,
 * Russian `_one`, `_few`, `_many` and `_other`, Chinese `_other` alone.
 */
export type PluralBase = MessageKey extends infer K ? (K extends `${infer Base}_other` ? Base : never) : never;
export type PluralKey<Base extends PluralBase> = Extract<MessageKey, `${Base}_${Intl.LDMLPluralRule}`>;

function substitutions(values: Record<string, string> | undefined): string[] {
  if (!values) return [];
  return Object.keys(values)
    .sort()
    .map((name) => values[name]!);
}

/** The message for `key` in the browser's UI language (English when that language has none). */
export function t<K extends MessageKey>(key: K, ...[values]: Values<K, string>): string {
  return browser.i18n.getMessage(key, substitutions(values as Record<string, string> | undefined));
}

// Private-use characters mark where each value goes, so a value can be markup (<strong>, <code>).
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARK_PATTERN = new RegExp(`${MARK_OPEN}(\\d+)${MARK_CLOSE}`);

/** As t, with values that are elements: the message as a list of text and those elements. */
export function tParts<K extends MessageKey>(key: K, values: Record<PlaceholderName<K>, ComponentChild>): ComponentChild[] {
  const names = Object.keys(values).sort();
  const marked = browser.i18n.getMessage(
    key,
    names.map((_, index) => `${MARK_OPEN}${index}${MARK_CLOSE}`),
  );
  // split() with a capture group alternates text and captured indices.
  return marked
    .split(MARK_PATTERN)
    .map((piece, index) => (index % 2 === 0 ? piece : (values as Record<string, ComponentChild>)[names[Number(piece)]!]))
    .filter((piece) => piece !== '');
}

/** One formatter per locale and kind: building Intl objects costs more than using them. */
export function memoizeByLocale<T>(build: (locale: string) => T): (locale: string) => T {
  const byLocale = new Map<string, T>();
  return (locale) => {
    let value = byLocale.get(locale);
    if (value === undefined) byLocale.set(locale, (value = build(locale)));
    return value;
  };
}

const pluralRules = memoizeByLocale((locale) => new Intl.PluralRules(locale));
const counts = memoizeByLocale((locale) => new Intl.NumberFormat(locale));

/**
 * The key of `base`'s form for `count`. The rules are those of the language the messages are
 * served in (`messagesLocale`), not of the UI: a UI language we have no messages for falls back
 * to English text, which needs English plurals.
 */
export function plural<Base extends PluralBase>(base: Base, count: number): PluralKey<Base> {
  return `${base}_${pluralRules(t('messagesLocale')).select(count)}` as PluralKey<Base>;
}

const languageOf = (locale: string) => locale.split(/[-_]/)[0]!.toLowerCase();

/**
 * The locale for numbers, dates and times (`Intl`): the browser's UI language when the messages
 * are in that language (so en-GB gets 24-hour clocks with English text), else the messages' own
 * language, so that numbers and times read in the language of the words around them (a UI
 * language we have no messages for falls back to English text; and Chromium can serve `--lang`'s
 * messages while getUILanguage() still reports the system's `en-US`).
 */
export function displayLocale(): string {
  const ui = browser.i18n.getUILanguage();
  const messages = t('messagesLocale');
  return languageOf(ui) === languageOf(messages) ? ui : messages;
}

/** `1,234` (en) · `1 234` (ru) · `1,234` (zh-CN). */
export function formatCount(value: number): string {
  return counts(displayLocale()).format(value);
}

/**
 * A page's title in the UI's language, and the language of its messages on the document (screen
 * readers, and the browser's font choice for Chinese). Chrome localizes `__MSG_…__` in the
 * manifest and CSS only, not in HTML.
 */
export function localizeDocument(document: Document, title: PlainKey): void {
  document.documentElement.lang = t('messagesLocale');
  document.title = t(title);
}
