/**
 * The saved operations as a GraphiQL sidebar panel: the list the gateway offers the current
 * token (`GET /explorer/saved-operations`: a partner's registered documents, or the explorer's
 * operations). Each opens in its own tab with its example variables, or switches to the tab
 * that already holds it.
 */
import { StarIcon, useEditorContext, type GraphiQLPlugin } from '@graphiql/react';
import { createContext, useContext, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SavedOperation } from './settings.js';

/** What the panel shows: nothing before a token, then the gateway's answer for it. */
export type SavedOperationsState =
  | { kind: 'no-token' }
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'loaded'; agencyType: string; agency: string; operations: readonly SavedOperation[] };

export const SavedOperationsContext = createContext<SavedOperationsState>({ kind: 'no-token' });

function SavedOperationsPanel() {
  const { t } = useTranslation();
  const state = useContext(SavedOperationsContext);
  const { tabs, activeTabIndex, addTab, changeTab, queryEditor, variableEditor } = useEditorContext({ nonNull: true });
  const pending = useRef<SavedOperation | null>(null);

  // a new tab starts empty: fill it once it is the active one
  useEffect(() => {
    const operation = pending.current;
    if (!operation || !queryEditor) return;
    pending.current = null;
    queryEditor.setValue(operation.document);
    variableEditor?.setValue(operation.variables ?? '');
  }, [tabs.length, activeTabIndex, queryEditor, variableEditor]);

  const open = (operation: SavedOperation) => {
    const index = tabs.findIndex((tab) => tab.operationName === operation.name || tab.title === operation.name);
    if (index >= 0) {
      changeTab(index);
      return;
    }
    pending.current = operation;
    addTab();
  };

  return (
    <section className="timpora-saved">
      <div className="graphiql-doc-explorer-title">{t('saved.title')}</div>
      {state.kind === 'no-token' ? <p>{t('saved.needToken')}</p> : null}
      {state.kind === 'loading' ? <p>{t('saved.loading')}</p> : null}
      {state.kind === 'error' ? <p role="alert">{t('saved.failed', { reason: state.message })}</p> : null}
      {state.kind === 'loaded' ? (
        <>
          <p className="timpora-saved__intro">
            {state.agencyType === 'PARTNER' ? t('saved.partner', { agency: state.agency }) : t('saved.member')}
          </p>
          {state.operations.length === 0 ? <p>{t('saved.none')}</p> : null}
          <ul>
            {state.operations.map((operation) => (
              <li key={operation.name}>
                <button type="button" onClick={() => open(operation)}>
                  {operation.name}
                </button>
                {operation.description ? <p>{operation.description}</p> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** The panel as a GraphiQL plugin; its list comes from {@link SavedOperationsContext}. */
export const savedOperationsPlugin: GraphiQLPlugin = {
  title: 'Saved operations',
  icon: StarIcon,
  content: () => <SavedOperationsPanel />,
};
