import i18next from 'i18next';
import { VALUE_SETS } from '@backbone/contracts';
import type { PageLanguage } from './page-language';
import da from './locales/da.json';
import de from './locales/de.json';
import en from './locales/en.json';

/**
 * The page's words in each language, from the files in locales/ (one per language, the same
 * keys in each). The server translates the page's fixed text with them; the page's script gets
 * them too, for what it draws and for switching language without a round trip.
 */
export const PAGE_TRANSLATIONS = { en, da, de } satisfies Record<PageLanguage, object>;

const translations = i18next.createInstance();
void translations.init({
  resources: Object.fromEntries(
    Object.entries(PAGE_TRANSLATIONS).map(([language, words]) => [
      language,
      { translation: words },
    ]),
  ),
  fallbackLng: 'en',
  initAsync: false,
  // The page escapes what it puts in HTML itself.
  interpolation: { escapeValue: false },
});

/** The page's text under `key` in `language` (the key itself where a file lacks it). */
export const translatorFor =
  (language: PageLanguage) =>
  (key: string): string =>
    translations.t(key, { lng: language });

/** The labels of the reason codes in every language, as `GET /v1/codes` gives them. */
export const REASON_CODE_LABELS = Object.fromEntries(
  VALUE_SETS.reasonCodes.map(({ code, labels }) => [code, labels]),
);
