/**
 * Composes the subgraph SDL files into the supergraph the gateway serves
 * (`schema/supergraph.graphql`, committed; the same file Apollo Router would serve).
 */
import fs from 'node:fs';
import { composeServices } from '@apollo/composition';
import { subgraphDefinitions, SUPERGRAPH_FILE } from './subgraphs.js';

export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(`Composition failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/** The supergraph SDL composed from the subgraph SDL files as they are now. */
export function composeSupergraph(): string {
  const result = composeServices(subgraphDefinitions());
  if (result.errors) {
    throw new CompositionError(
      result.errors.map((e) => {
        const code = (e.extensions?.code as string | undefined) ?? 'ERROR';
        return `[${code}] ${e.message}`;
      }),
    );
  }
  return `${result.supergraphSdl.trimEnd()}\n`;
}

export function committedSupergraph(): string | null {
  return fs.existsSync(SUPERGRAPH_FILE) ? fs.readFileSync(SUPERGRAPH_FILE, 'utf8') : null;
}
