/**
 * Resolvers of the `AccessLog` entity: each subgraph answers its own field of it (its own
 * chain's records about the foreigner), so one query reads the log of every agency.
 *
 * Auditors see by jurisdiction, as every caller sees rows: a national auditor (`*`) reads every
 * record; an auditor of some regions reads only the records that disclosed a row placed in them
 * (a foreigner by domicile, an incident, SKLD, SKTT, job or community report by its region), each
 * narrowed to those rows' ids. A record that names no placed row — a stay-permit check, a foreigner
 * reference with nothing under it, a count — is read by national auditors only.
 */
import { coversRegion, isNational } from '../auth/jurisdiction.js';
import type { Caller } from '../auth/tokens.js';
import type { RequestInfo } from '../server/request-context.js';
import type { AccessOutcome, AccessRecord } from './access-log.js';

/** The `AccessLog` entity: its key. */
export interface AccessLogRef {
  foreignerId: string;
}

/** The records an auditor may read, narrowed to the rows in the auditor's jurisdiction. */
export function auditorView(records: AccessRecord[], caller: Caller): AccessRecord[] {
  if (isNational(caller)) return records;
  return records.flatMap((record) => {
    const inJurisdiction = new Set(
      (record.recordRegions ?? []).filter((r) => coversRegion(caller, r.regionCode)).map((r) => r.recordId),
    );
    if (inJurisdiction.size === 0) return [];
    return [{ ...record, recordIds: record.recordIds.filter((id) => inJurisdiction.has(id)) }];
  });
}

/** The field of `AccessLog` (and of `SubjectAccessReport`) each subgraph answers. */
export type AgencyField = 'immigration' | 'police' | 'localGovernment';

/**
 * Shared by the three subgraphs, so typed here by hand; each subgraph's index checks the map
 * against its generated `Resolvers` when it merges it (common/server/resolvers.ts).
 */
export function accessLogResolvers<F extends AgencyField>(field: F) {
  const agencyLog = async (log: AccessLogRef, args: { outcomes?: AccessOutcome[] | null }, ctx: RequestInfo) =>
    auditorView(await ctx.accessLog.forForeigner(log.foreignerId, args.outcomes ?? undefined), ctx.caller);
  return {
    AccessLog: {
      __resolveReference: (ref: AccessLogRef): AccessLogRef => ({ foreignerId: ref.foreignerId }),
      ...({ [field]: agencyLog } as Record<F, typeof agencyLog>),
    },
    AccessRecord: {
      sequence: (r: AccessRecord) => r.seq,
      previousHash: (r: AccessRecord) => r.prevHash,
      // records written before outcomes and signatures were recorded are disclosures, unsigned
      outcome: (r: AccessRecord) => r.outcome ?? 'DISCLOSED',
      denials: (r: AccessRecord) => r.denials ?? [],
      keyId: (r: AccessRecord) => r.keyId ?? null,
    },
  };
}
