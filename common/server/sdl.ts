/**
 * The SDL a subgraph is built from: its own `schema.graphql` plus the type definitions every
 * subgraph shares (the access-log record, the sections of a subject-access report, the counts of a meeting brief). Subgraph servers and composition read the same.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gql } from 'graphql-tag';
import type { DocumentNode } from 'graphql';
import type { SubgraphName } from '../config.js';

const SHARED_SDL = [
  new URL('../audit/access-log.graphql', import.meta.url),
  new URL('../audit/subject-access.graphql', import.meta.url),
  new URL('../brief/meeting-brief.graphql', import.meta.url),
];

export function subgraphSdlFile(name: SubgraphName): string {
  return fileURLToPath(new URL(`../../subgraphs/${name}/src/schema.graphql`, import.meta.url));
}

export function subgraphSdl(name: SubgraphName): string {
  return [subgraphSdlFile(name), ...SHARED_SDL].map((file) => fs.readFileSync(file, 'utf8')).join('\n');
}

export function subgraphTypeDefs(name: SubgraphName): DocumentNode {
  return gql(subgraphSdl(name));
}
