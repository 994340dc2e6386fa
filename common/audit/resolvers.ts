/**
 * Resolvers of the `AccessLog` entity: each subgraph answers its own field of it (its own
 * chain's records about the foreigner), so one query reads the log of every agency.
 */
import type { RequestInfo } from '../server/subgraph-server.js';
import type { AccessOutcome, AccessRecord } from './access-log.js';

interface AccessLogRef {
  foreignerId: string;
}

export function accessLogResolvers(field: 'immigration' | 'police' | 'localGovernment') {
  return {
    AccessLog: {
      __resolveReference: (ref: AccessLogRef): AccessLogRef => ({ foreignerId: ref.foreignerId }),
      [field]: (log: AccessLogRef, args: { outcomes?: AccessOutcome[] | null }, ctx: RequestInfo) =>
        ctx.accessLog.forForeigner(log.foreignerId, args.outcomes ?? undefined),
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
