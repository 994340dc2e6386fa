/**
 * What `npm run audit -- verify` checks, for every agency: its chain with its keys (each
 * record in place, unedited, signed by one of the agency's keys), then every head of that
 * chain the other agencies witnessed: a witnessed record that is missing (truncated or rolled
 * back) or different (rewritten) breaks the agency's log, and a witness record the witness's
 * key did not sign is a forgery. The verdict of each agency is INTACT, UNKEYED (records
 * written before records were signed: they prove nothing against an insider) or BROKEN.
 */
import type { Connection } from 'mongoose';
import { SUBGRAPH_NAMES, type SubgraphName } from '../config/services.js';
import type { CheckpointDoc } from './access-log-checkpoint.js';
import { AccessLogKeys } from './access-log-keys.js';
import { AccessLog, type AccessRecord, type VerifyResult } from './access-log.js';
import { recordId } from './record-id.js';
import { WitnessStore, type WitnessRecord } from './witness.js';

export type Verdict = 'INTACT' | 'UNKEYED' | 'BROKEN';

/** One witnessed head that no longer holds, or a witness record that is not its witness's. */
export interface WitnessProblem {
  kind: 'MISSING' | 'REWRITTEN' | 'FORGED_WITNESS';
  seq: number;
  witness: string;
  message: string;
}

export interface AgencyVerification {
  agency: SubgraphName;
  chain: VerifyResult;
  /** The highest head each witness countersigned (forgeries aside), by witness. */
  lastWitnessed: { witness: string; seq: number; witnessedAt: Date }[];
  problems: WitnessProblem[];
  verdict: Verdict;
}

const short = (hash: string) => `${hash.slice(0, 12)}…`;

/**
 * A witnessed head that retention has since summarised (undefined when the head is not
 * summarised), checked against the hash its checkpoint kept (README, "Retention").
 */
async function summarisedWitness(
  log: AccessLog,
  record: Pick<WitnessRecord, 'seq' | 'hash' | 'witness'>,
  checkpoints: CheckpointDoc[],
  when: string,
): Promise<WitnessProblem | null | undefined> {
  if (!checkpoints.some((c) => record.seq >= c.from && record.seq <= c.seq)) return undefined;
  const kept = await log.checkpoints.summarisedHash(record.seq);
  if (kept === record.hash) return null;
  return {
    kind: 'REWRITTEN',
    seq: record.seq,
    witness: record.witness,
    message:
      `record ${record.seq} was summarised with hash ${kept ? short(kept) : '(none)'}, but ${record.witness} ` +
      `witnessed ${short(record.hash)} at ${when}: the log was rewritten up to it`,
  };
}

/** Checks one witness record of `agency` against the agency's chain and checkpoints; null when it holds. */
async function checkWitnessed(
  log: AccessLog,
  store: WitnessStore,
  record: WitnessRecord,
  checkpoints: CheckpointDoc[],
): Promise<WitnessProblem | null> {
  const forged = store.check(record);
  if (forged) {
    return {
      kind: 'FORGED_WITNESS',
      seq: record.seq,
      witness: store.keys.owner,
      message: `${store.keys.owner}'s witness record of record ${record.seq} (dated ${new Date(record.witnessedAt).toISOString()}) ${forged}: it is a forgery`,
    };
  }
  return checkAgainstChain(log, record, checkpoints);
}

/**
 * Checks a witnessed head (whose witness signature holds) against the agency's chain: the
 * record it names must still be there with the same hash, or, when retention has summarised
 * it, the hash its checkpoint kept must be the one witnessed. Null when it holds.
 * `checkpoints`: the chain's checkpoints, read when not given.
 */
export async function checkAgainstChain(
  log: AccessLog,
  record: Pick<WitnessRecord, 'seq' | 'hash' | 'witness' | 'witnessedAt'>,
  checkpoints?: CheckpointDoc[],
): Promise<WitnessProblem | null> {
  const when = new Date(record.witnessedAt).toISOString();
  const summarised = await summarisedWitness(log, record, checkpoints ?? (await checkpointsOf(log)), when);
  if (summarised !== undefined) return summarised;
  const stored = await log.records
    .findById(recordId(record.seq), { hash: 1 })
    .lean<Pick<AccessRecord, 'hash'>>()
    .exec();
  if (!stored) {
    return {
      kind: 'MISSING',
      seq: record.seq,
      witness: record.witness,
      message:
        `record ${record.seq} (hash ${short(record.hash)}), witnessed by ${record.witness} at ${when}, is missing: ` +
        'the log was truncated or rolled back',
    };
  }
  if (stored.hash !== record.hash) {
    return {
      kind: 'REWRITTEN',
      seq: record.seq,
      witness: record.witness,
      message:
        `record ${record.seq} differs from what ${record.witness} witnessed at ${when} ` +
        `(hash ${short(record.hash)}, now ${short(stored.hash)}): the log was rewritten up to it`,
    };
  }
  return null;
}

/** An agency's verdict: broken by its chain or a witness problem, unkeyed by records written before signing. */
export function verdictOf(chain: VerifyResult, problems: readonly WitnessProblem[]): Verdict {
  return !chain.ok || problems.length > 0 ? 'BROKEN' : chain.unkeyed ? 'UNKEYED' : 'INTACT';
}

/** The checkpoints of a chain, none when they do not verify (the chain's own check reports that). */
export async function checkpointsOf(log: AccessLog): Promise<CheckpointDoc[]> {
  const state = await log.checkpoints.state();
  return state.ok ? state.checkpoints : [];
}

/**
 * Verifies every agency's log. `connections`: each agency's database; `keys`: each agency's
 * access-log keys (public keys suffice).
 */
export async function verifyHub(
  connections: Record<SubgraphName, Connection>,
  keys: Record<SubgraphName, AccessLogKeys>,
): Promise<AgencyVerification[]> {
  const logs = Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, new AccessLog(connections[n], keys[n])])) as Record<
    SubgraphName,
    AccessLog
  >;
  const stores = SUBGRAPH_NAMES.map((n) => new WitnessStore(connections[n], keys[n]));
  const results: AgencyVerification[] = [];
  for (const agency of SUBGRAPH_NAMES) {
    const chain = await logs[agency].verify();
    const checkpoints = await checkpointsOf(logs[agency]);
    const problems: WitnessProblem[] = [];
    const lastWitnessed: AgencyVerification['lastWitnessed'] = [];
    for (const store of stores) {
      if (store.keys.owner === agency) continue;
      let last: AgencyVerification['lastWitnessed'][number] | null = null;
      for (const record of await store.forAgency(agency)) {
        const problem = await checkWitnessed(logs[agency], store, record, checkpoints);
        if (problem) problems.push(problem);
        if (problem?.kind !== 'FORGED_WITNESS' && (!last || record.seq >= last.seq)) {
          last = { witness: record.witness, seq: record.seq, witnessedAt: new Date(record.witnessedAt) };
        }
      }
      if (last) lastWitnessed.push(last);
    }
    const verdict = verdictOf(chain, problems);
    results.push({ agency, chain, lastWitnessed, problems, verdict });
  }
  return results;
}

/** Loads every agency's keys for verifying (public keys; development keys are made on first use). */
export async function loadVerifyingKeys(
  sources: Record<SubgraphName, Parameters<typeof AccessLogKeys.load>[1]>,
): Promise<Record<SubgraphName, AccessLogKeys>> {
  const entries = await Promise.all(
    SUBGRAPH_NAMES.map(async (n) => [n, await AccessLogKeys.load(n, sources[n], { sign: false })] as const),
  );
  return Object.fromEntries(entries) as Record<SubgraphName, AccessLogKeys>;
}

/** The report's lines: per agency its records and chain, the last witnessed heads, each problem, the verdict. */
export function formatVerification(results: AgencyVerification[]): string[] {
  const lines: string[] = [];
  for (const { agency, chain, lastWitnessed, problems, verdict } of results) {
    lines.push(
      chain.ok
        ? `${agency}: ${chain.records} records, chain intact`
        : `${agency}: chain BROKEN at record ${chain.broken!.seq}: ${chain.broken!.reason}`,
    );
    if (chain.summarised) {
      lines.push(
        `  records 1–${chain.summarised} summarised by retention into signed checkpoints; verified from there`,
      );
    }
    if (chain.unkeyed) {
      lines.push(
        `  UNKEYED: records 1–${chain.unkeyed} were written before records were signed; ` +
          'only their hash chain is checked, which an insider can recompute',
      );
    }
    lines.push(
      lastWitnessed.length === 0
        ? '  last witnessed head: none (no other agency has countersigned this chain yet)'
        : `  last witnessed head: ${lastWitnessed
            .map((w) => `record ${w.seq} by ${w.witness} at ${w.witnessedAt.toISOString()}`)
            .join('; ')}`,
    );
    for (const problem of problems) lines.push(`  ${problem.kind.replace('_', ' ')}: ${problem.message}`);
    lines.push(`  verdict: ${verdict}`);
  }
  return lines;
}
