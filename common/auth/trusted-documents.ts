/**
 * Trusted documents: the operations registered for partners, read from
 * `schema/operations/partner/`, identified by the SHA-256 of their normalized text.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { PARTNER_OPERATIONS } from './policy.js';

const PARTNER_DIR = fileURLToPath(new URL('../../schema/operations/partner/', import.meta.url));

export interface TrustedDocument {
  name: string;
  /** SHA-256 (hex) of the normalized document, as clients send it in `persistedQuery.sha256Hash`. */
  hash: string;
  /** The normalized document text. */
  text: string;
  /** Root fields the operation selects. */
  rootFields: string[];
}

/** Hashes of the documents seen: Apollo Server keeps one parsed document per query text, so each is printed once. */
const hashes = new WeakMap<DocumentNode, string>();

/** The hash of a document: SHA-256 of its normalized (printed) form. */
export function documentHash(document: DocumentNode): string {
  let hash = hashes.get(document);
  if (hash === undefined) {
    hash = createHash('sha256').update(print(document)).digest('hex');
    hashes.set(document, hash);
  }
  return hash;
}

function rootFieldsOf(document: DocumentNode): string[] {
  return document.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .flatMap((op) => op.selectionSet.selections)
    .flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
}

function readTrustedDocuments(): TrustedDocument[] {
  return fs
    .readdirSync(PARTNER_DIR)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const document = parse(fs.readFileSync(path.join(PARTNER_DIR, file), 'utf8'));
      const name = path.basename(file, '.graphql');
      const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
      if (operations.length !== 1 || (operations[0] as OperationDefinitionNode).name?.value !== name) {
        throw new Error(`${file}: a trusted document holds one operation named like its file (${name})`);
      }
      return { name, hash: documentHash(document), text: print(document), rootFields: rootFieldsOf(document) };
    });
}

let cached: TrustedDocument[] | undefined;

export function partnerDocuments(): TrustedDocument[] {
  cached ??= readTrustedDocuments();
  return cached;
}

/** The documents a partner institution may run. */
export function documentsForPartner(agency: string): TrustedDocument[] {
  const names = new Set([...(PARTNER_OPERATIONS['*'] ?? []), ...(PARTNER_OPERATIONS[agency] ?? [])]);
  return partnerDocuments().filter((d) => names.has(d.name));
}
