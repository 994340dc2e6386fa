/**
 * The police subgraph's per-request DataLoaders: incidents by `_id`, a foreigner's SKLDs by
 * `foreignerId` and their incidents by `foreignerIds` (the incident's parties), one `$in` query
 * per kind per request. Jurisdiction is tested on the rows read, not added to the query.
 */
import type { Caller } from '../../../common/auth/tokens.js';
import type { PoliceData } from './data.js';

/** Incidents outside the caller's jurisdiction (by incident region) and SKLDs (by their region) do not load. */
export function createLoaders(data: PoliceData, caller: Caller) {
  const incidents = data.incidents.for(caller);
  return {
    incidentById: incidents.byId(),
    incidentsByForeigner: incidents.byKey('foreignerIds', { occurredAt: -1, _id: 1 }),
    selfReportsByForeigner: data.selfReports.for(caller).byKey('foreignerId', { issuedAt: -1, _id: 1 }),
  };
}

export type PoliceLoaders = ReturnType<typeof createLoaders>;
