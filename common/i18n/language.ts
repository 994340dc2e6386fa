/**
 * The language of a request's human text: Bahasa Indonesia or English, chosen by the client's
 * `Accept-Language` (q-values honoured, negotiated by express's `req.acceptsLanguages`, i.e.
 * `negotiator`), `DEFAULT_LANGUAGE` when the header is absent or names neither. Error codes
 * and `extensions` never change with it; only messages do.
 *
 * Each language has its own i18next instance, created once and never switched, so no request
 * can change another's language. A request's language lives in an AsyncLocalStorage entered
 * just before GraphQL runs (`requestLanguage`), so an error raised anywhere in its work —
 * token verification, a validation rule, a resolver, a subgraph fetch — is worded in it by
 * `message(key, values)`. Outside a request (scripts, unit tests) messages are English: only
 * developers read them there.
 *
 * The gateway forwards the language it chose to every subgraph as `Accept-Language` (covered by
 * its signature), so a subgraph words its errors as the gateway does; a client calling a
 * subgraph directly is answered in the language its own header asks for.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Request, RequestHandler } from 'express';
import i18next, { type i18n } from 'i18next';
import { z } from 'zod';
import { LANGUAGES, type Language } from './labels.js';
import { en, id, type MessageKey } from './messages.js';

export { LANGUAGES, type Language } from './labels.js';
export type { MessageKey } from './messages.js';

export const ACCEPT_LANGUAGE_HEADER = 'accept-language';

/** Values interpolated into a message: field names, codes, numbers. */
export type MessageValues = Record<string, unknown>;

function createTranslator(language: Language, resources: Record<string, string>): i18n {
  const instance = i18next.createInstance();
  void instance.init({
    lng: language,
    fallbackLng: false,
    resources: { [language]: { translation: resources } },
    // keys are flat ("auth.tokenExpired") and messages hold ":" and "."
    keySeparator: false,
    nsSeparator: false,
    // messages go into JSON, not HTML: nothing to escape
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return instance;
}

const translators: Record<Language, i18n> = {
  id: createTranslator('id', id),
  en: createTranslator('en', en),
};

/** The message `key` in `language`, with `values` interpolated (numbers written the language's way). */
export function translate(language: Language, key: MessageKey, values: MessageValues = {}): string {
  const formatted: MessageValues = {};
  for (const [name, value] of Object.entries(values)) {
    formatted[name] = typeof value === 'number' ? value.toLocaleString(language === 'id' ? 'id-ID' : 'en') : value;
  }
  return translators[language].t(key, formatted);
}

const current = new AsyncLocalStorage<Language>();

/** The language of the request being served; English outside a request. */
export function currentLanguage(): Language {
  return current.getStore() ?? 'en';
}

/** The message `key` in the language of the request being served. */
export function message(key: MessageKey, values?: MessageValues): string {
  return translate(currentLanguage(), key, values);
}

/** Runs `work` as part of a request in `language` (what `requestLanguage` does for HTTP requests). */
export function inLanguage<T>(language: Language, work: () => T): T {
  return current.run(language, work);
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The language a request asks for: the best of `id` and `en` by its `Accept-Language` (`id-ID`
 * counts as `id`, `en-GB` as `en`, `q=0` refuses), or `fallback` when it has none or names neither.
 */
export function languageOf(req: Pick<Request, 'acceptsLanguages' | 'headers'>, fallback: Language): Language {
  const header = req.headers[ACCEPT_LANGUAGE_HEADER];
  if (!header || (Array.isArray(header) && header.length === 0)) return fallback;
  // a bare "*" or a list naming neither language leaves the choice to the hub
  const named = String(header)
    .split(',')
    .some((range) => /^\s*(id|en)(-|\s*;|\s*$)/i.test(range));
  if (!named) return fallback;
  const chosen = req.acceptsLanguages(...(fallback === 'id' ? ['id', 'en'] : ['en', 'id']));
  return isLanguage(chosen) ? chosen : fallback;
}

/**
 * Express middleware: everything after it, for this request, speaks the request's language.
 * Mount it right before the GraphQL handler (after the body parser, whose stream callbacks
 * would lose the request's async context).
 */
export function requestLanguage(fallback: Language): RequestHandler {
  return (req, _res, next) => {
    current.run(languageOf(req, fallback), next);
  };
}

/**
 * A zod message in the request's language, worded when the check fails: `.min(1, localized('input.blank'))`.
 * The issue's own figures (`minimum`, `maximum`) are interpolated.
 */
export function localized(key: MessageKey): { error: (issue: z.core.$ZodRawIssue) => string } {
  return { error: (issue) => message(key, issue as MessageValues) };
}

/** zod's own messages (a wrong type, an unknown enum value) in the request's language; the hub's own messages are set per schema. */
export function zodMessages(): z.core.$ZodErrorMap {
  return currentLanguage() === 'id' ? z.locales.id().localeError : z.locales.en().localeError;
}
