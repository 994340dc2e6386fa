/**
 * Entry of the explorer page the gateway serves at `/explorer`: GraphiQL with its CSS and
 * fonts (bundled, nothing from another address), started with the settings the gateway
 * embedded in the page.
 */
import 'graphiql/graphiql.css';
import './explorer.css';
import { createRoot } from 'react-dom/client';
import { ExplorerApp } from './app.js';
import { initI18n } from './i18n.js';
import { SETTINGS_ELEMENT_ID, type ExplorerSettings } from './settings.js';

const settings = JSON.parse(document.getElementById(SETTINGS_ELEMENT_ID)?.textContent ?? '{}') as ExplorerSettings;
const root = document.getElementById('explorer');
if (!root) throw new Error('the explorer page has no #explorer element');
/**
 * The explorer before December 2026 opened every saved operation in a tab of its own, and
 * GraphiQL keeps tabs in the browser: a returning analyst would find those nine tabs again.
 * They are dropped once; tabs opened since are kept as usual.
 */
function forgetEarlierTabs(): void {
  const LAYOUT_KEY = 'timpora-explorer:layout';
  const LAYOUT = 'one-tab-per-operation';
  try {
    if (window.localStorage.getItem(LAYOUT_KEY) === LAYOUT) return;
    for (const key of ['graphiql:tabState', 'graphiql:query', 'graphiql:operationName']) {
      window.localStorage.removeItem(key);
    }
    window.localStorage.setItem(LAYOUT_KEY, LAYOUT);
  } catch {
    // storage refused: GraphiQL keeps nothing either
  }
}

forgetEarlierTabs();
initI18n();
createRoot(root).render(<ExplorerApp settings={settings} />);
