// Translations: Bulgarian is built in (the default for a Bulgarian municipality), Polish and
// English are loaded when chosen. Every visible string comes from src/i18n/<locale>.json.
import bg from '../i18n/bg.json';
import { setAcceptLanguage } from './api';
import { createStore, useStore } from './store';
import type { Locale } from './types';

export type Dictionary = typeof bg;
export type MessageKey = keyof Dictionary;

export const LOCALES: readonly Locale[] = ['bg', 'pl', 'en'];
export const DEFAULT_LOCALE: Locale = 'bg';
const STORAGE_KEY = 'ratusha.locale';

/** BCP 47 tags for Intl: dates and numbers as people in that country write them. */
const INTL_TAG: Record<Locale, string> = { bg: 'bg-BG', pl: 'pl-PL', en: 'en-GB' };

const loaders: Record<Locale, () => Promise<Dictionary>> = {
  bg: async () => bg,
  pl: () => import('../i18n/pl.json').then((m) => m.default as Dictionary),
  en: () => import('../i18n/en.json').then((m) => m.default as Dictionary),
};

interface LocaleState {
  locale: Locale;
  dict: Dictionary;
}

export const localeStore = createStore<LocaleState>({ locale: DEFAULT_LOCALE, dict: bg });

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The language this device was explicitly switched to, if any. */
export function storedLocale(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

/** Loads the dictionary and switches the whole interface; `remember` stores it on this device. */
export async function setLocale(locale: Locale, remember = true): Promise<void> {
  const dict = await loaders[locale]();
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }
  document.documentElement.lang = locale;
  setAcceptLanguage(locale);
  localeStore.set({ locale, dict });
}

export function currentLocale(): Locale {
  return localeStore.get().locale;
}

export type Params = Record<string, string | number>;

function fill(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The translated message for `key`, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params?: Params): string {
  const { dict } = localeStore.get();
  return fill(dict[key] ?? bg[key] ?? key, params);
}

/** Like `t`, but for a key computed at run time; `undefined` when there is no such message. */
export function tMaybe(key: string, params?: Params): string | undefined {
  const { dict } = localeStore.get();
  const text = (dict as Record<string, string>)[key];
  return text === undefined ? undefined : fill(text, params);
}

/** Plural-aware message: looks up `<base>.<one|few|many|other>` by Intl.PluralRules. */
export function tPlural(base: string, count: number, params?: Params): string {
  const { locale } = localeStore.get();
  const category = new Intl.PluralRules(INTL_TAG[locale]).select(count);
  const all = { count: formatNumber(count), ...params };
  return tMaybe(`${base}.${category}`, all) ?? tMaybe(`${base}.other`, all) ?? base;
}

/** Re-renders the component when the language changes; returns the current locale. */
export function useLocale(): Locale {
  return useStore(localeStore).locale;
}

export function intlTag(locale: Locale = currentLocale()): string {
  return INTL_TAG[locale];
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(intlTag(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatDate(date: Date): string {
  return new Intl.DateTimeFormat(intlTag(), { dateStyle: 'full' }).format(date);
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(intlTag()).format(value);
}

/** The native name of each language, written in that language. */
export const LANGUAGE_NAMES: Record<Locale, string> = {
  bg: 'Български',
  pl: 'Polski',
  en: 'English',
};
