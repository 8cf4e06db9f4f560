import { PAGE_TRANSLATIONS, translatorFor } from './page-translations';

/** Every key path of a translation file, e.g. `agenda.redirectChains.heading`. */
const keysOf = (words: object, prefix = ''): string[] =>
  Object.entries(words).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? keysOf(value as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );

describe('the insights page’s translations', () => {
  it('have the same keys in Danish, German and English, none of them empty', () => {
    const english = keysOf(PAGE_TRANSLATIONS.en).sort();
    expect(english.length).toBeGreaterThan(50);
    for (const words of [PAGE_TRANSLATIONS.da, PAGE_TRANSLATIONS.de]) {
      expect(keysOf(words).sort()).toEqual(english);
    }
    for (const language of ['en', 'da', 'de'] as const) {
      const translate = translatorFor(language);
      for (const key of english)
        expect([language, key, translate(key).trim()]).not.toEqual([language, key, '']);
    }
  });

  it('translate the page’s fixed text in the language asked for', () => {
    expect(translatorFor('en')('signIn.submit')).toBe('Sign in');
    expect(translatorFor('da')('signIn.submit')).toBe('Log ind');
    expect(translatorFor('de')('signIn.submit')).toBe('Anmelden');
  });
});
