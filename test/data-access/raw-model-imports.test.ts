/**
 * The static half of "jurisdiction is applied once": no resolver, service or loader of a subgraph
 * can reach a record collection except through its data-access layer (`src/data.ts`, built on
 * common/db/jurisdiction-scope.ts). Read from the syntax of every source file: who imports the
 * record models, who opens a record collection by name, who touches a model by its name. The few
 * files that must reach them whole are listed below, each with its reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** The mongoose models of record collections, as the subgraphs' `models/` name them. */
const RECORD_MODELS = [
  'Foreigner',
  'StayPermit',
  'BorderCrossing',
  'WatchlistEntry',
  'ImmigrationAction',
  'Incident',
  'SelfReportCertificate',
  'Residence',
  'Employment',
  'CommunityReport',
];
/** Their factories and bundles (`foreignerModels(connection)`, `ForeignerModels`). */
const RECORD_MODEL_BUNDLES = [
  'foreignerModels',
  'ForeignerModels',
  'incidentModels',
  'IncidentModels',
  'selfReportModels',
  'SelfReportModels',
  'communityReportModels',
  'CommunityReportModels',
];
/** Their collections, as the database names them. */
const RECORD_COLLECTIONS = [
  'foreigners',
  'stay_permits',
  'border_crossings',
  'watchlist_entries',
  'immigration_actions',
  'incidents',
  'self_report_certificates',
  'residences',
  'employments',
  'community_reports',
];

/** Files that reach record collections whole, and why. Anything else goes through `data.ts`. */
const WHOLE_COLLECTION_ACCESS: Record<string, string> = {
  'subgraphs/immigration/src/data.ts': 'the data-access layer itself',
  'subgraphs/police/src/data.ts': 'the data-access layer itself',
  'subgraphs/local-government/src/data.ts': 'the data-access layer itself',
  'subgraphs/immigration/src/index.ts': 'opens the models (indexes, migrations) and builds the data-access layer',
  'subgraphs/police/src/index.ts': 'opens the models (indexes, migrations) and builds the data-access layer',
  'subgraphs/local-government/src/index.ts': 'opens the models (indexes, migrations) and builds the data-access layer',
  'scripts/seed/index.ts': 'seeds: writes the demo data of every region',
  'common/retention/immigration-rules.ts': 'retention job: erases and pseudonymises old records of every region',
  'common/retention/police-rules.ts': 'retention job: erases and pseudonymises old records of every region',
  'common/retention/local-government-rules.ts': 'retention job: erases and pseudonymises old records of every region',
  'common/retention/holds.ts': "retention job: a record is held while another agency's case on its foreigner is open",
  'scripts/soak.ts': 'soak test: counts what it wrote itself, outside any request',
  'scripts/bench/engine-probe.ts': 'benchmark: measures the engine on raw queries, outside any request',
  'scripts/bench/raw-reads.ts': 'benchmark: the raw-driver baseline the hub is compared with',
  'scripts/tallies.ts': "operator's command: checks and repairs the statistics counters of every region",
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'generated' ? [] : sourceFiles(relative);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

interface Finding {
  file: string;
  line: number;
  what: string;
}

/** What in `file` reaches a record collection without the data-access layer. */
function findings(file: string, text = fs.readFileSync(path.join(ROOT, file), 'utf8')): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const isModelFile = /^subgraphs\/[^/]+\/src\/models\//.test(file);
  const inSubgraph = /^subgraphs\/[^/]+\/src\//.test(file) && !isModelFile && !WHOLE_COLLECTION_ACCESS[file];
  const found: Finding[] = [];
  const at = (node: ts.Node, what: string) =>
    found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, what });
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && RECORD_MODEL_BUNDLES.includes(node.text) && !isModelFile) {
      at(node, `names the record models (${node.text})`);
    }
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const [first] = node.arguments;
      if (method === 'collection' && first && ts.isStringLiteral(first) && RECORD_COLLECTIONS.includes(first.text)) {
        at(node, `opens the collection ${first.text}`);
      } else if (method === 'collection' && inSubgraph) {
        at(node, 'opens a collection of the database directly');
      }
    }
    if (inSubgraph && ts.isPropertyAccessExpression(node) && RECORD_MODELS.includes(node.name.text)) {
      at(node, `touches the model ${node.name.text}`);
    }
    if (
      inSubgraph &&
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      node.moduleSpecifier.text === 'mongoose' &&
      !node.importClause?.isTypeOnly
    ) {
      at(node, 'imports mongoose itself');
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const FILES = ['common', 'gateway/src', 'scripts', 'subgraphs'].flatMap(sourceFiles);

describe('the record collections', () => {
  it('are reached only through the data-access layer, outside the files listed with their reasons', () => {
    const outside = FILES.filter((file) => !WHOLE_COLLECTION_ACCESS[file]).flatMap((file) => findings(file));
    expect(outside).toEqual([]);
  });

  it('are reached whole by each listed file (a file that no longer does leaves the list)', () => {
    const listed = Object.keys(WHOLE_COLLECTION_ACCESS).filter((file) => {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      return (
        RECORD_MODEL_BUNDLES.some((name) => text.includes(name)) ||
        RECORD_COLLECTIONS.some((name) => text.includes(`'${name}'`))
      );
    });
    expect(listed).toEqual(Object.keys(WHOLE_COLLECTION_ACCESS));
  });

  it('would be caught: a service reading a model directly is a finding', () => {
    const probe = `import type { IncidentModels } from '../models/incident.js';
export const read = (models: IncidentModels) => models.Incident.find({});
export const raw = (db: { collection(name: string): unknown }) => db.collection('incidents');
`;
    expect(findings('subgraphs/police/src/services/probe.ts', probe).map((f) => f.what)).toEqual([
      'names the record models (IncidentModels)',
      'names the record models (IncidentModels)',
      'touches the model Incident',
      'opens the collection incidents',
    ]);
  });
});
