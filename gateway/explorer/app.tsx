/**
 * The explorer: GraphiQL on the gateway's own `/graphql`, a bar with the role picker and the
 * language switch above it, the saved operations the gateway offers the current token as a
 * sidebar panel (each opens its own tab), the headers editor carrying the credential to every
 * tab, and the table view of the current answer below. It opens on one welcome tab, and
 * nothing is fetched from `/graphql` (no error shown) before there is a token.
 */
import { useEditorContext, useSchemaContext } from '@graphiql/react';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQLInterface, GraphiQLProvider } from 'graphiql';
import { GraphQLError } from 'graphql';
import { useEffect, useMemo, useRef, useState, type MutableRefObject } from 'react';
import { useTranslation } from 'react-i18next';
import {
  HEADERS_TEMPLATE,
  formatHeaders,
  headerValue,
  parseHeaders,
  withCredential,
  type Credential,
} from './headers.js';
import { LANGUAGES, chooseLanguage, currentLanguage, type Language } from './i18n.js';
import { RolePicker } from './role-picker.js';
import { SavedOperationsContext, savedOperationsPlugin, type SavedOperationsState } from './saved-operations.js';
import type { ExplorerSettings, SavedOperationsResponse } from './settings.js';
import { TableView } from './table-view.js';

interface TextEditor {
  getValue(): string;
  setValue(value: string): void;
  on(event: 'change', handler: () => void): void;
  off(event: 'change', handler: () => void): void;
}

/** The `Authorization` header of a headers text when it carries a token (not the `<token>` placeholder). */
function authorizationOf(headers: Record<string, string> | null | undefined): string | null {
  const authorization = headers ? headerValue(headers, 'authorization') : undefined;
  return authorization && !authorization.includes('<') ? authorization : null;
}

/**
 * GraphiQL's fetcher for the gateway's endpoint (a path on this origin). The headers are read
 * from the headers editor at the moment of the request, so the schema introspection that
 * follows a new token already carries it, and `Accept-Language` says the interface's language.
 * While the editor still holds the `<token>` placeholder, nothing is sent: the answer says
 * where a token comes from.
 */
function createHubFetcher(
  graphqlPath: string,
  currentHeaders: () => Record<string, string> | null,
  tokenHint: () => string,
): Fetcher {
  const fetchFromHub = createGraphiQLFetcher({ url: graphqlPath });
  return (params, options) => {
    // the editor's live text wins over GraphiQL's copy, which may predate the latest token
    const headers = (currentHeaders() ?? options?.headers ?? {}) as Record<string, string>;
    if (!authorizationOf(headers)) {
      return Promise.resolve({ errors: [new GraphQLError(tokenHint(), { extensions: { code: 'UNAUTHENTICATED' } })] });
    }
    const language = headerValue(headers, 'accept-language') ? {} : { 'Accept-Language': currentLanguage() };
    return fetchFromHub(params, { ...options, headers: { ...headers, ...language } });
  };
}

/**
 * Keeps the active tab's headers editor in step with the role picker's credential (switching
 * tabs included), fills the template into empty editors, and reports the token the editor
 * carries, whether the role picker or the analyst put it there. A later token change refetches
 * the schema (the first one is fetched by GraphiQL itself once the explorer has a token).
 */
function HeaderSync({
  credential,
  editorRef,
  onAuthorization,
}: {
  credential: Credential | null;
  editorRef: MutableRefObject<TextEditor | null>;
  onAuthorization: (authorization: string) => void;
}) {
  const { headerEditor, activeTabIndex } = useEditorContext({ nonNull: true });
  const { introspect } = useSchemaContext({ nonNull: true });
  const introspected = useRef<string | null>(null);
  const introspectRef = useRef(introspect);
  introspectRef.current = introspect;
  const reportRef = useRef(onAuthorization);
  reportRef.current = onAuthorization;

  useEffect(() => {
    const editor = headerEditor as TextEditor | null;
    editorRef.current = editor;
    if (!editor) return;
    const current = editor.getValue();
    // without a credential, only an empty editor is touched (a tab restored from an earlier visit)
    const next = credential
      ? withCredential(current, credential)
      : current.trim()
        ? null
        : formatHeaders(HEADERS_TEMPLATE);
    if (next !== null && next !== current) editor.setValue(next);
  }, [headerEditor, activeTabIndex, credential, editorRef]);

  useEffect(() => {
    const editor = headerEditor as TextEditor | null;
    if (!editor) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const authorization = authorizationOf(parseHeaders(editor.getValue()));
      if (!authorization || authorization === introspected.current) return;
      const first = introspected.current === null;
      introspected.current = authorization;
      reportRef.current(authorization);
      if (!first) introspectRef.current();
    };
    const onChange = () => {
      clearTimeout(timer);
      timer = setTimeout(check, 400);
    };
    editor.on('change', onChange);
    check();
    return () => {
      clearTimeout(timer);
      editor.off('change', onChange);
    };
  }, [headerEditor, credential]);
  return null;
}

/** The saved operations the gateway offers the token (a partner: exactly its registered ones). */
function useSavedOperations(path: string, authorization: string | null, language: Language): SavedOperationsState {
  const [state, setState] = useState<SavedOperationsState>({ kind: 'no-token' });
  useEffect(() => {
    if (!authorization) return;
    const abort = new AbortController();
    setState({ kind: 'loading' });
    fetch(path, { headers: { Authorization: authorization, 'Accept-Language': language }, signal: abort.signal })
      .then(async (response) => {
        const body = (await response.json().catch(() => ({}))) as Partial<SavedOperationsResponse> & {
          error?: string;
        };
        if (!response.ok || !body.operations) throw new Error(body.error ?? `HTTP ${response.status}`);
        setState({
          kind: 'loaded',
          agencyType: body.agencyType ?? '',
          agency: body.agency ?? '',
          operations: body.operations,
        });
      })
      .catch((e: Error) => {
        if (!abort.signal.aborted) setState({ kind: 'error', message: e.message });
      });
    return () => abort.abort();
  }, [path, authorization, language]);
  return authorization ? state : { kind: 'no-token' };
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="timpora-language" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          aria-pressed={i18n.language === language}
          onClick={() => void chooseLanguage(language)}
        >
          {t(`language.${language}`)}
        </button>
      ))}
    </div>
  );
}

export function ExplorerApp({ settings }: { settings: ExplorerSettings }) {
  const { t, i18n } = useTranslation();
  const headerEditor = useRef<TextEditor | null>(null);
  const [credential, setCredential] = useState<Credential | null>(null);
  const [authorization, setAuthorization] = useState<string | null>(null);
  const tRef = useRef(t);
  tRef.current = t;
  const fetcher = useMemo(
    () =>
      createHubFetcher(
        settings.graphqlPath,
        () => parseHeaders(headerEditor.current?.getValue()),
        () => tRef.current(settings.devTokenPath ? 'fetcher.noTokenDev' : 'fetcher.noToken'),
      ),
    [settings.graphqlPath, settings.devTokenPath],
  );
  const savedOperations = useSavedOperations(settings.savedOperationsPath, authorization, currentLanguage());
  const plugins = useMemo(() => [savedOperationsPlugin], []);
  // the welcome text of the first visit, in the language of that visit (GraphiQL keeps the tab)
  const [welcome] = useState(() => t('welcome'));
  const template = formatHeaders(HEADERS_TEMPLATE);

  return (
    <SavedOperationsContext.Provider value={savedOperations}>
      <GraphiQLProvider
        fetcher={fetcher}
        // no schema until there is a token: the gateway answers nobody without one
        schema={authorization ? undefined : null}
        defaultQuery={welcome}
        defaultHeaders={template}
        plugins={plugins}
        visiblePlugin={plugins[0]}
        shouldPersistHeaders={false}
      >
        <HeaderSync credential={credential} editorRef={headerEditor} onAuthorization={setAuthorization} />
        <div className="timpora-explorer" lang={i18n.language}>
          <header className="timpora-bar">
            <div className="timpora-bar__top">
              <div className="timpora-bar__title">
                <strong>TIMPORA Hub</strong> {t('bar.title')}
              </div>
              <LanguageSwitch />
            </div>
            {settings.devTokenPath ? (
              <RolePicker settings={settings} devTokenPath={settings.devTokenPath} onCredential={setCredential} />
            ) : (
              <p className="timpora-bar__hint">{t('bar.hintToken')}</p>
            )}
          </header>
          {authorization ? null : (
            <p className="timpora-notice" role="note">
              {t(settings.devTokenPath ? 'bar.noTokenYetDev' : 'bar.noTokenYet')}
            </p>
          )}
          <main className="timpora-explorer__graphiql">
            <GraphiQLInterface defaultTheme="light" defaultEditorToolsVisibility="headers" />
          </main>
          <TableView />
        </div>
      </GraphiQLProvider>
    </SavedOperationsContext.Provider>
  );
}
