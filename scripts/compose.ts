/**
 * `npm run compose`: recomposes schema/supergraph.graphql from the subgraph SDL files.
 * `npm run compose -- --check` only reports whether the committed file is current.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CompositionError, committedSupergraph, composeSupergraph } from '../schema/compose.js';
import { SUPERGRAPH_FILE } from '../schema/subgraphs.js';

const check = process.argv.includes('--check');
try {
  const composed = composeSupergraph();
  const relative = path.relative(process.cwd(), SUPERGRAPH_FILE);
  if (check) {
    if (committedSupergraph() !== composed) {
      console.error(`${relative} is stale: run \`npm run compose\` and commit it.`);
      process.exit(1);
    }
    console.log(`${relative} is current.`);
  } else {
    fs.writeFileSync(SUPERGRAPH_FILE, composed);
    console.log(`Composed ${relative}.`);
  }
} catch (e) {
  console.error(e instanceof CompositionError ? e.message : e);
  process.exit(1);
}
