/**
 * `npm run compose`: recomposes schema/supergraph.graphql from the subgraph SDL files, and
 * prints its API schema to schema/api-schema.graphql (for client code generation).
 * `npm run compose -- --check` only reports whether the committed files are current.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  API_SCHEMA_FILE,
  CompositionError,
  committedApiSchema,
  committedSupergraph,
  composeApiSchema,
  composeSupergraph,
} from '../schema/compose.js';
import { SUPERGRAPH_FILE } from '../schema/subgraphs.js';

const check = process.argv.includes('--check');
try {
  const outputs = [
    { file: SUPERGRAPH_FILE, content: composeSupergraph(), committed: committedSupergraph() },
    { file: API_SCHEMA_FILE, content: composeApiSchema(), committed: committedApiSchema() },
  ];
  let stale = false;
  for (const { file, content, committed } of outputs) {
    const relative = path.relative(process.cwd(), file);
    if (check) {
      if (committed !== content) {
        console.error(`${relative} is stale: run \`npm run compose\` and commit it.`);
        stale = true;
      } else {
        console.log(`${relative} is current.`);
      }
    } else {
      fs.writeFileSync(file, content);
      console.log(`Wrote ${relative}.`);
    }
  }
  if (stale) process.exit(1);
} catch (e) {
  console.error(e instanceof CompositionError ? e.message : e);
  process.exit(1);
}
