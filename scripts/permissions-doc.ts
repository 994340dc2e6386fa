/** `npm run docs:permissions`: regenerates docs/permissions.md from the access policy. */
import fs from 'node:fs';
import { PERMISSIONS_DOC, renderPermissionsDoc } from '../common/auth/permission-matrix.js';

fs.writeFileSync(PERMISSIONS_DOC, await renderPermissionsDoc());
console.log('Wrote docs/permissions.md');
