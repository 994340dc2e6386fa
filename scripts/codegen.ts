/**
 * `npm run codegen`: regenerates the TypeScript client types (clients/typescript/generated/)
 * from schema/api-schema.graphql and the saved operations, and each subgraph's resolver types
 * (subgraphs/<name>/src/generated/) from its SDL (schema/resolver-codegen.ts).
 * `npm run codegen -- --check` only reports whether the committed files are current.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateClientTypes } from '../clients/typescript/codegen.js';
import { generateResolverTypes } from '../schema/resolver-codegen.js';

const check = process.argv.includes('--check');
try {
  let stale = false;
  for (const { filename, content } of [...(await generateClientTypes()), ...(await generateResolverTypes())]) {
    const relative = path.relative(process.cwd(), filename);
    const committed = fs.existsSync(filename) ? fs.readFileSync(filename, 'utf8') : null;
    if (check) {
      if (committed === content) {
        console.log(`${relative} is current.`);
      } else {
        console.error(`${relative} is stale: run \`npm run codegen\` and commit it.`);
        stale = true;
      }
    } else {
      fs.mkdirSync(path.dirname(filename), { recursive: true });
      fs.writeFileSync(filename, content);
      console.log(`Wrote ${relative}.`);
    }
  }
  if (stale) process.exit(1);
} catch (e) {
  console.error(`codegen failed: ${(e as Error).message}`);
  process.exit(1);
}
