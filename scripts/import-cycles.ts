/**
 * Fails when the hub's own modules import each other in a loop (type-only imports count: a
 * loop through a type is still two modules that cannot be understood apart). Reads the
 * project's tsconfig.json and resolves every static `import`/`export … from` with the
 * TypeScript compiler, so it sees exactly the files `npm run typecheck` sees. Neither madge nor
 * eslint-plugin-import is a dependency; the compiler is. Run by `npm run lint`.
 */
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '..');

/** The project's source files and, for each, the project files it imports. */
function importGraph(): Map<string, string[]> {
  const configFile = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json');
  if (!configFile) throw new Error(`no tsconfig.json in ${root}`);
  const { config, error } = ts.readConfigFile(configFile, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const host = ts.createCompilerHost(parsed.options);
  const graph = new Map<string, string[]>();
  for (const file of parsed.fileNames) {
    const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? '', ts.ScriptTarget.Latest);
    const targets: string[] = [];
    for (const statement of source.statements) {
      const specifier =
        (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const resolved = ts.resolveModuleName(specifier.text, file, parsed.options, host).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      targets.push(path.resolve(resolved.resolvedFileName));
    }
    graph.set(path.resolve(file), targets);
  }
  return graph;
}

/** Every strongly connected component of more than one module (Tarjan), each a set of loops. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfImport = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfImport) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

const found = cycles(importGraph());
if (found.length > 0) {
  console.error(`Import cycles (${found.length}): each group below imports itself through the others.`);
  for (const component of found) {
    console.error(`- ${component.map((file) => path.relative(root, file)).join('\n  ')}`);
  }
  process.exit(1);
}
console.log('No import cycles.');
