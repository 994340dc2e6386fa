/**
 * The raw-read baseline as its own process: a trivial HTTP endpoint over the MongoDB driver,
 * so it pays for HTTP, JSON and a process of its own like the gateway does. It takes the same
 * request bodies as the gateways and answers the operation's reads (`raw-reads.ts`) as JSON.
 *
 *   node --import tsx scripts/bench/raw-server.ts --port 4199 --mongodb-uri mongodb://127.0.0.1:27127/
 *
 * `GET /ready` answers once the databases are connected; `GET /commands` gives the number of
 * database commands sent so far.
 */
import http from 'node:http';
import { parseArgs } from 'node:util';
import { SUBGRAPH_NAMES, defaultDbName, type SubgraphName } from '../../common/config/services.js';
import { connectDatabase, type Database } from '../../common/db/connection.js';
import { readGaps, readNameSearch, readPage, readProfile, readStatistics, type RawDatabases } from './raw-reads.js';
import { GAPS_OPERATION } from './workloads.js';

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'mongodb-uri': { type: 'string' } },
});
const port = Number(values.port);
const uri = values['mongodb-uri'];
if (!Number.isInteger(port) || !uri) {
  process.stderr.write('usage: raw-server.ts --port <port> --mongodb-uri <uri>\n');
  process.exit(2);
}

const opened = {} as Record<SubgraphName, Database>;
for (const name of SUBGRAPH_NAMES) opened[name] = await connectDatabase(uri, defaultDbName(name));
const dbs = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, opened[n].connection.db!])) as RawDatabases;
const commandCount = () => SUBGRAPH_NAMES.reduce((sum, n) => sum + opened[n].commands.count, 0);

interface Body {
  operationName?: string;
  variables?: Record<string, unknown>;
}

async function answer(body: Body): Promise<unknown> {
  const v = body.variables ?? {};
  switch (body.operationName) {
    case 'BenchForeignerPage':
      return readPage(dbs, String(v.regionCode), Number(v.first));
    case 'BenchForeignerProfile':
      return readProfile(dbs, String(v.id));
    case 'BenchForeignerStatistics':
      return readStatistics(dbs, String(v.regionCode), ['NATIONALITY', 'PERMIT_TYPE']);
    case 'BenchStatisticsByPermitType':
      return readStatistics(dbs, String(v.regionCode), ['PERMIT_TYPE']);
    case 'BenchStatisticsByDistrict':
      return readStatistics(dbs, String(v.regionCode), ['REGION']);
    case GAPS_OPERATION.name:
      return readGaps(dbs, String(v.regionCode), Number(v.first ?? 100));
    case 'BenchNameSearch':
      return readNameSearch(dbs, String(v.nameContains), Number(v.first));
    default:
      throw new Error(`unknown operation ${body.operationName}`);
  }
}

function send(res: http.ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/ready') return send(res, 200, { status: 'ready' });
  if (req.method === 'GET' && req.url === '/commands') return send(res, 200, { commands: commandCount() });
  if (req.method !== 'POST') return send(res, 404, { error: 'not found' });
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    Promise.resolve()
      .then(() => answer(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body))
      .then(
        (data) => send(res, 200, { data }),
        (e: Error) => send(res, 500, { errors: [{ message: e.message }] }),
      );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1');

const stop = () => {
  server.close();
  void Promise.allSettled(SUBGRAPH_NAMES.map((n) => opened[n].close())).then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
