/**
 * The explorer's saved operations: the `.graphql` files of `schema/operations/explorer/`,
 * read each time a caller asks for them (a file added there shows up on the next request).
 * Each holds one operation named like its file; its leading `#` lines describe it, and a
 * `# Variables: {…}` line among them gives example variables. A partner, which may run only
 * its registered (trusted) documents, is offered exactly those, from `schema/operations/partner/`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { Caller } from '../../../common/auth/tokens.js';
import { documentsForPartner } from '../../../common/auth/trusted-documents.js';
import type { SavedOperation } from '../../explorer/settings.js';

export const SAVED_OPERATIONS_DIR = fileURLToPath(new URL('../../../schema/operations/explorer/', import.meta.url));

export const PARTNER_OPERATIONS_DIR = fileURLToPath(new URL('../../../schema/operations/partner/', import.meta.url));

const VARIABLES_LINE = /^#\s*variables:\s*(.*)$/i;

/** One saved operation from a file's text; throws when the file breaks the convention. */
export function savedOperationOf(file: string, text: string): SavedOperation {
  const name = path.basename(file, '.graphql');
  const operations = parse(text).definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1 || operations[0]!.name?.value !== name) {
    throw new Error(`${file}: a saved operation holds one operation named like its file (${name})`);
  }
  const description: string[] = [];
  let variables: string | null = null;
  const lines = text.split('\n');
  let header = 0;
  for (const line of lines) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('#')) break;
    header += 1;
    const declared = VARIABLES_LINE.exec(trimmed);
    if (declared) {
      try {
        variables = JSON.stringify(JSON.parse(declared[1]!), null, 2);
      } catch {
        throw new Error(`${file}: the "# Variables:" line is not JSON`);
      }
    } else {
      description.push(trimmed.replace(/^#\s?/, ''));
    }
  }
  // the description is shown beside the editor; the editor gets the operation itself
  const document = lines.slice(header).join('\n').trim();
  return { name, description: description.join(' ').trim(), document: `${document}\n`, variables };
}

/** Every saved operation, by name; files that break the convention are reported and skipped. */
export async function readSavedOperations(
  onInvalid: (file: string, error: Error) => void,
  dir = SAVED_OPERATIONS_DIR,
): Promise<SavedOperation[]> {
  const files = await fs.readdir(dir).catch(() => [] as string[]);
  const operations: SavedOperation[] = [];
  for (const file of files.filter((f) => f.endsWith('.graphql')).sort()) {
    try {
      operations.push(savedOperationOf(file, await fs.readFile(path.join(dir, file), 'utf8')));
    } catch (e) {
      onInvalid(file, e as Error);
    }
  }
  return operations;
}

/**
 * The saved operations a verified caller is offered: for a partner, exactly the documents
 * registered for its institution (`PARTNER_OPERATIONS`), the only ones the gateway lets it
 * run; for every other caller, the explorer's operations.
 */
export async function savedOperationsFor(
  caller: Pick<Caller, 'agencyType' | 'agency'>,
  onInvalid: (file: string, error: Error) => void,
  dirs = { explorer: SAVED_OPERATIONS_DIR, partner: PARTNER_OPERATIONS_DIR },
): Promise<SavedOperation[]> {
  if (caller.agencyType !== 'PARTNER') return readSavedOperations(onInvalid, dirs.explorer);
  const registered = new Set(documentsForPartner(caller.agency).map((d) => d.name));
  return (await readSavedOperations(onInvalid, dirs.partner)).filter((operation) => registered.has(operation.name));
}
