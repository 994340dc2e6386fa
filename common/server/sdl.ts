/**
 * The SDL a subgraph is built from: its own `schema.graphql` plus the type definitions every
 * subgraph shares (the calendar scalars, `PageInfo` and the permit types of shared.graphql, the
 * access-log record, the sections of a subject-access report, the counts of a meeting brief) and
 * those only some share (the registration certificates' permit stub and compliance). Subgraph
 * servers, composition and the resolver types' code generation read the same.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gql } from 'graphql-tag';
import type { DocumentNode } from 'graphql';
import type { SubgraphName } from '../config/services.js';

const COMMON_SDL = new URL('./shared.graphql', import.meta.url);
const SHARED_SDL = [
  new URL('../audit/access-log.graphql', import.meta.url),
  new URL('../audit/subject-access.graphql', import.meta.url),
  new URL('../brief/meeting-brief.graphql', import.meta.url),
];

/** SDL some subgraphs share: the permit stub and compliance of the registration certificates. */
const REGISTRATION_SDL = new URL('../registration.graphql', import.meta.url);
const SUBGRAPH_SHARED_SDL: Record<SubgraphName, URL[]> = {
  immigration: [],
  police: [REGISTRATION_SDL],
  'local-government': [REGISTRATION_SDL],
};

export function subgraphSdlFile(name: SubgraphName): string {
  return fileURLToPath(new URL(`../../subgraphs/${name}/src/schema.graphql`, import.meta.url));
}

export function subgraphSdl(name: SubgraphName): string {
  // the common types first, where each subgraph declared them before they were shared
  return [COMMON_SDL, subgraphSdlFile(name), ...SHARED_SDL, ...SUBGRAPH_SHARED_SDL[name]]
    .map((file) => fs.readFileSync(file, 'utf8'))
    .join('\n');
}

export function subgraphTypeDefs(name: SubgraphName): DocumentNode {
  return gql(subgraphSdl(name));
}
