/**
 * The app's words: one catalogue per language (`en.ts`, `es.ts`), the language chosen from
 * the browser's preferences unless the user picked one in Settings (kept in localStorage).
 * Both catalogues are bundled: they are small, and the first page must not wait for a fetch.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { store } from '../storage';
import { en } from './en';
import { es } from './es';

export const LANGUAGES = ['en', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_KEY = 'cora.language';

function isLanguage(value: string | null): value is Language {
  return (LANGUAGES as readonly (string | null)[]).includes(value);
}

/** The first of the browser's languages that Cora speaks (es-* is Spanish), else English. */
export function languageFromBrowser(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

/** The user's choice if they made one, else the browser's. */
export function initialLanguage(): Language {
  const stored = store.get(LANGUAGE_KEY);
  if (isLanguage(stored)) return stored;
  const preferred = typeof navigator === 'undefined' ? [] : navigator.languages ?? [navigator.language];
  return languageFromBrowser(preferred);
}

/** The language in use now (for `Intl` formatters outside React). */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}

/** Switch and remember the choice. */
export async function chooseLanguage(language: Language): Promise<void> {
  store.set(LANGUAGE_KEY, language);
  await i18n.changeLanguage(language);
}

i18n.on('languageChanged', (language) => {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
});

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, es: { translation: es } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: LANGUAGES,
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

export { i18n };
