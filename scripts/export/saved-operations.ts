/**
 * Saved operations: the `.graphql` files under `schema/operations/` (the explorer's in
 * `explorer/`, partners' trusted documents in `partner/`), one named operation per file, the
 * file named like the operation. A comment line `# Variables: {…}` gives example variables.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kind, parse, type DocumentNode, type OperationDefinitionNode } from 'graphql';

export const OPERATIONS_DIR = fileURLToPath(new URL('../../schema/operations/', import.meta.url));

export interface SavedOperation {
  name: string;
  file: string;
  /** The document as written (sent as is, so the gateway's logs show the saved text). */
  text: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The comment lines before the operation, without `#`. */
  description: string;
  /** The variables of the `# Variables:` comment, if any. */
  exampleVariables: Record<string, unknown> | null;
}

function graphqlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return graphqlFiles(full);
      return entry.name.endsWith('.graphql') ? [full] : [];
    })
    .sort();
}

export function readSavedOperation(file: string): SavedOperation {
  const text = fs.readFileSync(file, 'utf8');
  const document = parse(text);
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (operations.length !== 1 || !operations[0]!.name) {
    throw new Error(`${file}: a saved operation file holds exactly one named operation`);
  }
  const comments = text
    .split('\n')
    .filter((line) => line.startsWith('#'))
    .map((line) => line.replace(/^#\s?/, ''));
  const variablesLine = comments.find((line) => line.startsWith('Variables:'));
  let exampleVariables: Record<string, unknown> | null = null;
  if (variablesLine) {
    try {
      exampleVariables = JSON.parse(variablesLine.slice('Variables:'.length)) as Record<string, unknown>;
    } catch {
      exampleVariables = null;
    }
  }
  return {
    name: operations[0]!.name.value,
    file,
    text,
    document,
    operation: operations[0]!,
    description: comments.filter((line) => !line.startsWith('Variables:')).join('\n'),
    exampleVariables,
  };
}

/** Every saved operation under `schema/operations/`, by file path. */
export function listSavedOperations(dir = OPERATIONS_DIR): SavedOperation[] {
  return graphqlFiles(dir).map(readSavedOperation);
}

/** A saved operation by name (`RegistrationGaps`) or by the path of a `.graphql` file. */
export function findSavedOperation(nameOrFile: string, dir = OPERATIONS_DIR): SavedOperation {
  if (nameOrFile.endsWith('.graphql')) return readSavedOperation(path.resolve(nameOrFile));
  const found = listSavedOperations(dir).filter((op) => op.name === nameOrFile);
  if (found.length === 0) {
    const names = listSavedOperations(dir).map((op) => op.name);
    throw new Error(`no saved operation named "${nameOrFile}"; saved operations: ${names.join(', ')}`);
  }
  if (found.length > 1) {
    throw new Error(`"${nameOrFile}" is saved more than once: ${found.map((op) => op.file).join(', ')}`);
  }
  return found[0]!;
}
