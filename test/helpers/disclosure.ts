/**
 * What the disclosure attack tests (test/security/disclosure-*.test.ts) set up: a hub with a full
 * foreigner in 16.01 and one in 16.08, the OKU members' tokens and a partner's, and probes of the
 * access-log records a request leaves in a subgraph.
 */
import type { AccessRecord } from '../../common/audit/access-log.js';
import type { SubgraphName } from '../../common/config/services.js';
import { recordFullForeigner, type FullForeigner } from './fixtures.js';
import {
  IMMIGRATION_OKU,
  LOCALGOV_OKU,
  POLICE_OKU,
  expectNoErrors,
  tokenFor,
  type GraphQLResponse,
} from './graphql.js';
import { startTestHub, type TestHub } from './hub.js';

interface DisclosureHub {
  hub: TestHub;
  /** A full foreigner in 16.01 (OKU). */
  oku: FullForeigner;
  /** A full foreigner in 16.08 (OKU Timur). */
  okuTimur: FullForeigner;
  immigration: string;
  police: string;
  localgov: string;
  /** A partner with `permit:read` and `stats:read` in 16.01. */
  partner: string;
}

async function startDisclosureHub(label: string): Promise<DisclosureHub> {
  const hub = await startTestHub(label);
  return {
    hub,
    oku: await recordFullForeigner(hub, '16.01.14.1001'),
    okuTimur: await recordFullForeigner(hub, '16.08.01.1007'),
    immigration: await tokenFor(IMMIGRATION_OKU),
    police: await tokenFor(POLICE_OKU),
    localgov: await tokenFor(LOCALGOV_OKU),
    partner: await tokenFor({
      agencyType: 'PARTNER',
      agency: 'PT-SAWIT-OGAN-LESTARI',
      jurisdiction: ['16.01'],
      scopes: ['permit:read', 'stats:read'],
    }),
  };
}

/** The URL of the gateway or a subgraph, and the access-log records a request leaves, on the hub `hubOf` returns. */
function accessLogProbes(hubOf: () => TestHub) {
  const URL_OF = (target: 'gateway' | SubgraphName) =>
    target === 'gateway' ? hubOf().gatewayUrl : hubOf().subgraphs[target].url;

  /** Sends a request and returns the access-log records it left in a subgraph. */
  async function recordsLeft(
    subgraph: SubgraphName,
    send: () => Promise<GraphQLResponse>,
  ): Promise<{ response: GraphQLResponse; records: AccessRecord[] }> {
    const log = hubOf().subgraphs[subgraph].accessLog.records;
    const before = await log.countDocuments().exec();
    const response = await send();
    const records = await log.find().sort({ _id: 1 }).skip(before).lean<AccessRecord[]>().exec();
    return { response, records };
  }

  /** The one record a request left, with its filter parsed. */
  async function oneRecord(subgraph: SubgraphName, send: () => Promise<GraphQLResponse>) {
    const { response, records } = await recordsLeft(subgraph, send);
    expectNoErrors(response);
    expect(records).toHaveLength(1);
    const record = records[0]!;
    const filter = JSON.parse(record.filter ?? 'null') as { field: string; arguments: Record<string, unknown> }[];
    return { response, record, filter };
  }

  return { URL_OF, recordsLeft, oneRecord };
}

/**
 * Starts a disclosure hub before the file's tests and stops it after them, printing the attempts
 * sent per attack class (`attempt(class)`, for the closing note of issue 10); returns the hub
 * (`current()`, once started) and the access-log probes on it.
 */
export function useDisclosureHub(label: string) {
  let current: DisclosureHub | undefined;
  const attempts: Record<string, number> = {};
  beforeAll(async () => {
    current = await startDisclosureHub(label);
  }, 180_000);
  afterAll(async () => {
    await current?.hub.stop();
    process.stdout.write(`${label} attempts by class: ${JSON.stringify(attempts)}\n`);
  });
  const attempt = (attackClass: string): void => {
    attempts[attackClass] = (attempts[attackClass] ?? 0) + 1;
  };
  return { current: () => current!, attempt, ...accessLogProbes(() => current!.hub) };
}
