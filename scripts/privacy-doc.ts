/** `npm run docs:privacy`: regenerates docs/privacy.md from the policy, the schemas and the retention defaults. */
import fs from 'node:fs';
import { PRIVACY_DOC, renderPrivacyDoc } from '../common/privacy/privacy-doc.js';

fs.writeFileSync(PRIVACY_DOC, await renderPrivacyDoc());
console.log('Wrote docs/privacy.md');
