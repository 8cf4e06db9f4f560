import type { Request } from 'express';
import { LABEL_LANGUAGES, LabelLanguage } from '@backbone/contracts';
import { overHttps } from '@backbone/http';

/** The page speaks the languages the contract labels its codes in. */
export type PageLanguage = LabelLanguage;
export const PAGE_LANGUAGES: readonly PageLanguage[] = LABEL_LANGUAGES;

/** Remembers a director's choice; the page's own script sets it too, so it is not HttpOnly. */
export const LANGUAGE_COOKIE = 'insights_lang';
const YEAR_SECONDS = 365 * 24 * 3600;

const isPageLanguage = (value: unknown): value is PageLanguage =>
  typeof value === 'string' && (PAGE_LANGUAGES as readonly string[]).includes(value);

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at >= 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * The language to answer in: one chosen just now (`?lang=`), else the one remembered, else the
 * best the browser's Accept-Language names (express's negotiation, q-values and all), else
 * English. `chosen`: the query named it, and it is to be remembered.
 */
export function pageLanguage(request: Request): { language: PageLanguage; chosen: boolean } {
  const asked: unknown = request.query.lang;
  if (isPageLanguage(asked)) return { language: asked, chosen: true };
  const remembered = cookieValue(request.headers.cookie, LANGUAGE_COOKIE);
  if (isPageLanguage(remembered)) return { language: remembered, chosen: false };
  const accepted: unknown = request.acceptsLanguages(...PAGE_LANGUAGES);
  return { language: isPageLanguage(accepted) ? accepted : 'en', chosen: false };
}

export function languageCookie(language: PageLanguage, request: Request): string {
  return [
    `${LANGUAGE_COOKIE}=${language}`,
    'Path=/insights',
    `Max-Age=${YEAR_SECONDS}`,
    'SameSite=Strict',
    ...(overHttps(request) ? ['Secure'] : []),
  ].join('; ');
}
