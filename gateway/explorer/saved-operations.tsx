/**
 * The saved operations of `schema/operations/explorer/` as a GraphiQL sidebar panel: each
 * opens in its own tab (or switches to the tab that already holds it) with its example
 * variables.
 */
import { StarIcon, useEditorContext, type GraphiQLPlugin } from '@graphiql/react';
import { useEffect, useRef } from 'react';
import type { SavedOperation } from './settings.js';

function SavedOperationsPanel({ operations }: { operations: readonly SavedOperation[] }) {
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
      <div className="graphiql-doc-explorer-title">Saved operations</div>
      {operations.length === 0 ? <p>No saved operations in schema/operations/explorer/.</p> : null}
      <ul>
        {operations.map((operation) => (
          <li key={operation.name}>
            <button type="button" onClick={() => open(operation)}>
              {operation.name}
            </button>
            {operation.description ? <p>{operation.description}</p> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function savedOperationsPlugin(operations: readonly SavedOperation[]): GraphiQLPlugin {
  return {
    title: 'Saved operations',
    icon: StarIcon,
    content: () => <SavedOperationsPanel operations={operations} />,
  };
}
