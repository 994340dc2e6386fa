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
initI18n();
createRoot(root).render(<ExplorerApp settings={settings} />);
