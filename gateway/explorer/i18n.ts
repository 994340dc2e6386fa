/**
 * The explorer's interface language: Bahasa Indonesia by default, English on request. The
 * choice is kept in the browser (localStorage) and sent as `Accept-Language` with every
 * request, so the hub's error texts follow it.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { LANGUAGES, type Language } from '../../common/i18n/labels.js';
import { en } from './locales/en.js';
import { id } from './locales/id.js';

export { LANGUAGES, type Language };

const STORAGE_KEY = 'timpora-explorer:language';

function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}

/** The language chosen on an earlier visit, or Indonesian. */
export function storedLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : 'id';
  } catch {
    return 'id'; // storage refused (private mode, policy): the default for this visit
  }
}

/** Switches the interface and remembers the choice. */
export async function chooseLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered; the switch still applies to this visit
  }
  await i18next.changeLanguage(language);
}

/** The interface's current language. */
export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'id';
}

export function initI18n(): typeof i18next {
  const language = storedLanguage();
  void i18next.use(initReactI18next).init({
    resources: { id: { translation: id }, en: { translation: en } },
    lng: language,
    fallbackLng: 'id',
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false }, // React escapes
    returnObjects: true,
    initAsync: false,
  });
  document.documentElement.lang = language;
  i18next.on('languageChanged', (lng) => {
    document.documentElement.lang = lng;
  });
  return i18next;
}
