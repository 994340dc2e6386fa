/**
 * The explorer: GraphiQL on the gateway's own `/graphql`, a bar with the role picker above
 * it, the saved operations as tabs and as a sidebar panel, and the headers editor carrying
 * the credential to every tab.
 */
import { useEditorContext, useSchemaContext } from '@graphiql/react';
import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphiQLInterface, GraphiQLProvider } from 'graphiql';
import { GraphQLError } from 'graphql';
import { useEffect, useMemo, useRef, useState, type MutableRefObject } from 'react';
import {
  HEADERS_TEMPLATE,
  formatHeaders,
  headerValue,
  parseHeaders,
  withCredential,
  type Credential,
} from './headers.js';
import { RolePicker } from './role-picker.js';
import { savedOperationsPlugin } from './saved-operations.js';
import type { ExplorerSettings } from './settings.js';

interface TextEditor {
  getValue(): string;
  setValue(value: string): void;
  on(event: 'change', handler: () => void): void;
  off(event: 'change', handler: () => void): void;
}

const WELCOME = `# TIMPORA Hub explorer
#
# Every operation needs a token in the Headers editor below ("Authorization": "Bearer …")
# and, for personal data, the purpose of the request ("X-Purpose"); each disclosure of
# personal data is recorded with it. Ctrl-Enter runs the operation.
#
# The saved operations (star icon on the left) are examples for coordination meetings,
# and the docs (book icon) describe every type and field.
`;

/**
 * GraphiQL's fetcher for the gateway's endpoint (a path on this origin). The headers are read
 * from the headers editor at the moment of the request, so the schema introspection that
 * follows a new token already carries it. While the editor still holds the `<token>`
 * placeholder, nothing is sent: the answer says where a token comes from.
 */
function createHubFetcher(
  graphqlPath: string,
  currentHeaders: () => Record<string, string> | null,
  tokenHint: string,
): Fetcher {
  const fetchFromHub = createGraphiQLFetcher({ url: graphqlPath });
  return (params, options) => {
    // the editor's live text wins over GraphiQL's copy, which may predate the latest token
    const headers = (currentHeaders() ?? options?.headers ?? {}) as Record<string, string>;
    const authorization = headerValue(headers, 'authorization');
    if (!authorization || authorization.includes('<token>')) {
      return Promise.resolve({ errors: [new GraphQLError(tokenHint, { extensions: { code: 'UNAUTHENTICATED' } })] });
    }
    return fetchFromHub(params, { ...options, headers });
  };
}

/**
 * Keeps the active tab's headers editor in step with the role picker's credential (switching
 * tabs included), fills the template into empty editors, and refetches the schema when the
 * token changes, whether the role picker or the analyst put it there.
 */
function HeaderSync({
  credential,
  editorRef,
}: {
  credential: Credential | null;
  editorRef: MutableRefObject<TextEditor | null>;
}) {
  const { headerEditor, activeTabIndex } = useEditorContext({ nonNull: true });
  const { introspect } = useSchemaContext({ nonNull: true });
  const introspected = useRef<string | null>(null);
  const introspectRef = useRef(introspect);
  introspectRef.current = introspect;

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
      const headers = parseHeaders(editor.getValue()) ?? {};
      const authorization = headerValue(headers, 'authorization');
      if (!authorization || authorization.includes('<') || authorization === introspected.current) return;
      introspected.current = authorization;
      introspectRef.current();
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

export function ExplorerApp({ settings }: { settings: ExplorerSettings }) {
  const headerEditor = useRef<TextEditor | null>(null);
  const [credential, setCredential] = useState<Credential | null>(null);
  const fetcher = useMemo(
    () =>
      createHubFetcher(
        settings.graphqlPath,
        () => parseHeaders(headerEditor.current?.getValue()),
        settings.devTokenPath
          ? 'No token yet: choose a role above and press Get development token, or put a token into the Headers editor.'
          : 'No token yet: put your token into the Headers editor (Authorization: Bearer …) with the purpose of your request (X-Purpose).',
      ),
    [settings.graphqlPath, settings.devTokenPath],
  );
  const template = formatHeaders(HEADERS_TEMPLATE);
  const defaultTabs = useMemo(
    () =>
      settings.operations.map((operation) => ({
        query: operation.document,
        variables: operation.variables,
        headers: template,
      })),
    [settings.operations, template],
  );
  const plugins = useMemo(() => [savedOperationsPlugin(settings.operations)], [settings.operations]);

  return (
    <GraphiQLProvider
      fetcher={fetcher}
      defaultQuery={WELCOME}
      defaultHeaders={template}
      defaultTabs={defaultTabs.length > 0 ? defaultTabs : undefined}
      plugins={plugins}
      visiblePlugin={plugins[0]}
      shouldPersistHeaders={false}
    >
      <HeaderSync credential={credential} editorRef={headerEditor} />
      <div className="timpora-explorer">
        <header className="timpora-bar">
          <div className="timpora-bar__title">
            <strong>TIMPORA Hub</strong> explorer
          </div>
          {settings.devTokenPath ? (
            <RolePicker settings={settings} devTokenPath={settings.devTokenPath} onCredential={setCredential} />
          ) : (
            <p className="timpora-bar__hint">
              Put your token and the purpose of your request into the Headers editor below.
            </p>
          )}
        </header>
        <main className="timpora-explorer__graphiql">
          <GraphiQLInterface defaultTheme="light" defaultEditorToolsVisibility="headers" />
        </main>
      </div>
    </GraphiQLProvider>
  );
}
