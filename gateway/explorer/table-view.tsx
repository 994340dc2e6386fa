/**
 * The table view under GraphiQL: the current tab's answer (whatever the response editor
 * shows) as a table of one of its lists — the analyst chooses which when there are several —
 * with a CSV download of exactly what the table shows.
 */
import { useEditorContext, useSchemaContext } from '@graphiql/react';
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from './i18n.js';
import { fieldTypes, findLists, tableCsv, tableText, type ResultList } from './result-table.js';

interface CodeMirrorLike {
  getValue(): string;
  on(event: 'change', handler: () => void): void;
  off(event: 'change', handler: () => void): void;
}

/** Rows shown on the page; the CSV always holds them all. */
const SHOWN_ROWS = 500;

interface Answer {
  /** The response editor's text. */
  text: string;
  /** The query and operation name of the tab when the answer arrived (for the fields' types). */
  query: string;
  operationName: string | null;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function TableView() {
  const { t, i18n } = useTranslation();
  const { responseEditor, queryEditor, tabs, activeTabIndex } = useEditorContext({ nonNull: true });
  const { schema } = useSchemaContext({ nonNull: true });
  const [answer, setAnswer] = useState<Answer>({ text: '', query: '', operationName: null });
  const [open, setOpen] = useState(true);
  const [chosen, setChosen] = useState<string | null>(null);
  const operationName = tabs[activeTabIndex]?.operationName ?? null;
  const selectId = useId();

  useEffect(() => {
    const editor = responseEditor as CodeMirrorLike | null;
    if (!editor) return;
    const update = () =>
      setAnswer({
        text: editor.getValue(),
        query: (queryEditor as CodeMirrorLike | null)?.getValue() ?? '',
        operationName,
      });
    update();
    editor.on('change', update);
    return () => editor.off('change', update);
  }, [responseEditor, queryEditor, operationName]);

  const parsed = useMemo(() => {
    if (!answer.text.trim()) return { kind: 'empty' as const };
    try {
      const body = JSON.parse(answer.text) as { data?: unknown };
      return { kind: 'lists' as const, lists: findLists(body.data ?? null) };
    } catch {
      return { kind: 'notJson' as const };
    }
  }, [answer.text]);
  const types = useMemo(
    () => (schema ? fieldTypes(schema, answer.query, answer.operationName) : undefined),
    [schema, answer.query, answer.operationName],
  );
  const lists: ResultList[] = parsed.kind === 'lists' ? parsed.lists : [];
  const list = lists.find((l) => l.path === chosen) ?? lists[0];
  const language = currentLanguage();
  const table = useMemo(
    () => (list ? tableText(list, { types, language, words: { yes: t('table.yes'), no: t('table.no') } }) : null),
    // i18n.language: the labels follow the language switch
    [list, types, language, t, i18n.language],
  );

  const fileName = `${answer.operationName ?? 'hasil'}-${list?.path ?? 'tabel'}.csv`.replace(/[^\w.-]+/g, '_');
  return (
    <section className={`timpora-table${open && table ? '' : ' timpora-table--compact'}`} aria-label={t('table.title')}>
      <div className="timpora-table__bar">
        <button type="button" className="timpora-table__toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'} {t('table.title')}
        </button>
        {lists.length > 1 ? (
          <span className="timpora-table__choice">
            <label htmlFor={selectId}>{t('table.list')}</label>
            <select id={selectId} value={list?.path} onChange={(e) => setChosen(e.target.value)}>
              {lists.map((l) => (
                <option key={l.path} value={l.path}>
                  {l.path} ({l.items.length})
                </option>
              ))}
            </select>
          </span>
        ) : list ? (
          <code className="timpora-table__path">{list.path}</code>
        ) : null}
        {table ? (
          <>
            <span className="timpora-table__count">{t('table.rows', { count: table.rows.length })}</span>
            <button type="button" onClick={() => download(fileName, tableCsv(table))}>
              {t('table.download')}
            </button>
            <span className="timpora-table__note">{t('table.zones')}</span>
          </>
        ) : null}
      </div>
      {open ? (
        <div className="timpora-table__body">
          {parsed.kind === 'empty' ? <p>{t('table.empty')}</p> : null}
          {parsed.kind === 'notJson' ? <p>{t('table.notJson')}</p> : null}
          {parsed.kind === 'lists' && !table ? <p>{t('table.noList')}</p> : null}
          {table ? (
            <table>
              <thead>
                <tr>
                  {table.header.map((column) => (
                    <th key={column} scope="col">
                      {column}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows.slice(0, SHOWN_ROWS).map((row, r) => (
                  <tr key={r}>
                    {row.map((cell, c) => (
                      <td key={c} title={table.titles[r]?.[c] ?? undefined}>
                        {cell}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
