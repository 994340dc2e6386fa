/**
 * A hub for the access-log tampering tests: its subgraphs witness each other when the test
 * says, one foreigner with a full record, a police officer who reads it; and what an insider
 * and an auditor do to and with a log: its collections, a snapshot and its restore, the real
 * verify code (with the report it prints) and the CLI.
 */
import { generateKeyPairSync } from 'node:crypto';
import type mongoose from 'mongoose';
import type { AccessRecord, Disclosure } from '../../common/audit/access-log.js';
import {
  formatVerification,
  loadVerifyingKeys,
  verifyHub,
  type AgencyVerification,
} from '../../common/audit/verify-hub.js';
import { loadHubConfig } from '../../common/config/hub.js';
import { SUBGRAPH_NAMES, type SubgraphName } from '../../common/config/services.js';
import { TEST_DATA_DIR as DATA_DIR, runAuditVerify } from './audit.js';
import { recordFullForeigner, type FullForeigner } from './fixtures.js';
import { expectNoErrors, graphql, tokenFor } from './graphql.js';
import { startTestHub, type TestHub } from './hub.js';
import { peerEnv } from './witnessing.js';

export interface TamperingHub {
  hub: TestHub;
  fixture: FullForeigner;
  /** A police officer's token in 16.01. */
  police: string;
  /** The subgraphs' ports and where each finds its peers. */
  peerEnv: Record<string, string>;
}

const PROFILE = `query Profile($id: ID!) { foreigner(id: $id) { fullName stayPermits { number } incidents { summary } residence { address } } }`;

export async function startTamperingHub(label: string): Promise<TamperingHub> {
  const env = await peerEnv();
  const hub = await startTestHub(label, { subgraphEnv: env });
  try {
    const fixture = await recordFullForeigner(hub);
    const police = await tokenFor({
      agencyType: 'POLICE',
      agency: 'POLRES-OKU',
      jurisdiction: ['16.01'],
      subject: 'brigadir-andi',
    });
    return { hub, fixture, police, peerEnv: env };
  } catch (error) {
    await hub.stop();
    throw error;
  }
}

type Snapshot = Record<string, Record<string, unknown>[]>;

/** What the tests do with `current()`'s hub and its logs. */
export function tamperingTools(current: () => TamperingHub) {
  const collection = (name: SubgraphName, what = 'access_log') =>
    current().hub.subgraphs[name].db.connection.collection<AccessRecord>(what);

  async function snapshotOf(name: SubgraphName, collections?: string[]): Promise<Snapshot> {
    const db = current().hub.subgraphs[name].db.connection.db!;
    const names = collections ?? (await db.listCollections().toArray()).map((c) => c.name);
    const snapshot: Snapshot = {};
    for (const c of names) snapshot[c] = await db.collection(c).find().toArray();
    return snapshot;
  }

  async function restore(name: SubgraphName, snapshot: Snapshot): Promise<void> {
    const db = current().hub.subgraphs[name].db.connection.db!;
    for (const [c, docs] of Object.entries(snapshot)) {
      await db.collection(c).deleteMany({});
      if (docs.length > 0) await db.collection(c).insertMany(docs as never[]);
    }
  }

  return {
    collection,
    snapshotOf,
    restore,
    async disclose(times: number): Promise<void> {
      const { hub, police, fixture } = current();
      for (let i = 0; i < times; i += 1) {
        expectNoErrors(
          await graphql(hub.gatewayUrl, PROFILE, { token: police, variables: { id: fixture.foreignerId } }),
        );
      }
    },
    async verify(): Promise<{ results: Record<SubgraphName, AgencyVerification>; report: string }> {
      const keys = await loadVerifyingKeys(loadHubConfig({ DATA_DIR }).accessLogKeys);
      const connections = Object.fromEntries(
        SUBGRAPH_NAMES.map((n) => [n, current().hub.subgraphs[n].db.connection]),
      ) as Record<SubgraphName, mongoose.Connection>;
      const results = await verifyHub(connections, keys);
      const report = formatVerification(results).join('\n');
      // the figures of the closing note: the report of each case
      process.stderr.write(`\n--- ${expect.getState().currentTestName}\n${report}\n`);
      return { results: Object.fromEntries(results.map((r) => [r.agency, r])) as never, report };
    },
    cli: () => runAuditVerify(current().hub),
    /** Runs `tamper` on a copy of immigration's log, then puts the log back as it was. */
    async tampered(tamper: () => Promise<void>, check: () => Promise<void>): Promise<void> {
      const snapshot = await snapshotOf('immigration', ['access_log', 'access_log_head']);
      try {
        await tamper();
        await check();
      } finally {
        await restore('immigration', snapshot);
      }
    },
  };
}

/** A disclosure written straight to a log, as a request would leave it. */
export function disclosureFor(requestId: string): Disclosure {
  return {
    requestId,
    subject: 's',
    agency: 'POLRES-OKU',
    agencyType: 'POLICE',
    purpose: 'log test',
    operationName: null,
    recordIds: [],
    foreignerIds: ['F1'],
    fieldGroups: ['identity:read'],
    at: new Date(),
  };
}

export function pem(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}
