/**
 * The subgraphs composed into the supergraph: name (as Apollo and the gateway know it) and
 * the SDL file it is built from.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gql } from 'graphql-tag';
import type { composeServices } from '@apollo/composition';
import { DEFAULT_PORTS, SUBGRAPH_NAMES, type SubgraphName } from '../common/config.js';

export const SUPERGRAPH_FILE = fileURLToPath(new URL('./supergraph.graphql', import.meta.url));

export function subgraphSdlFile(name: SubgraphName): string {
  return fileURLToPath(new URL(`../subgraphs/${name}/src/schema.graphql`, import.meta.url));
}

/** Every subgraph's SDL with its default local URL, ready for composition. */
type ServiceDefinition = Parameters<typeof composeServices>[0][number];

export function subgraphDefinitions(): ServiceDefinition[] {
  return SUBGRAPH_NAMES.map((name) => ({
    name,
    url: `http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`,
    typeDefs: gql(fs.readFileSync(subgraphSdlFile(name), 'utf8')),
  }));
}
