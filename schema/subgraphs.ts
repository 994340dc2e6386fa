/**
 * The subgraphs composed into the supergraph: name (as Apollo and the gateway know it) and
 * the SDL file it is built from.
 */
import { fileURLToPath } from 'node:url';
import type { composeServices } from '@apollo/composition';
import { DEFAULT_PORTS, SUBGRAPH_NAMES } from '../common/config/services.js';
import { subgraphTypeDefs } from '../common/server/sdl.js';

export const SUPERGRAPH_FILE = fileURLToPath(new URL('./supergraph.graphql', import.meta.url));

export type ServiceDefinition = Parameters<typeof composeServices>[0][number];

/** Every subgraph's SDL with its default local URL, ready for composition. */
export function subgraphDefinitions(): ServiceDefinition[] {
  return SUBGRAPH_NAMES.map((name) => ({
    name,
    url: `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
    typeDefs: subgraphTypeDefs(name),
  }));
}
