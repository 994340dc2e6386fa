/**
 * What the police and the local government add to a meeting brief, the same way: counts of their
 * records of the period by regency and category, and the registration gaps their certificates
 * leave among immigration's ITAS/ITAP holders. The entity arrives from the gateway with
 * immigration's `periodStart` and `registrationHolders` (`@requires`); the region is read again
 * against the caller's jurisdiction, and each section is noted in the request's access-log record.
 */
import type { PermissionContext } from '../auth/permissions.js';
import { registrationCompliance, type CertificateValidity } from '../registration.js';
import { officialRegions } from '../regions.js';
import {
  briefScope,
  categoryCounts,
  decodeHolder,
  registrationGaps,
  type BriefScope,
  type RegistrationHolder,
} from './scope.js';
import type { RegencyCategoryRow } from './counts.js';

/** A meeting brief as the gateway passes it to the police or the local government. */
export interface BriefEntity {
  regionCode: string;
  meetingDate: string;
  periodStart?: string | null;
  registrationHolders?: (string | null)[] | null;
}

async function scopeOf(b: BriefEntity, ctx: PermissionContext): Promise<BriefScope> {
  return briefScope(b.regionCode, await officialRegions(), ctx.caller);
}

/** Notes the section in the access-log record, as a query of the brief with its region and period. */
function note(b: BriefEntity, ctx: PermissionContext): void {
  ctx.disclosures.noteQuery({
    field: 'meetingBrief',
    arguments: { regionCode: b.regionCode, meetingDate: b.meetingDate, periodStart: b.periodStart ?? null },
  });
}

/** Records of the period (from `periodStart`) by regency and category: `count(regencies, from)` reads them. */
export async function periodCounts(
  b: BriefEntity,
  ctx: PermissionContext,
  count: (regencies: string[], from: Date | null) => Promise<RegencyCategoryRow[]>,
  label: (category: string) => string,
) {
  const scope = await scopeOf(b, ctx);
  note(b, ctx);
  const from = b.periodStart ? new Date(b.periodStart) : null;
  if (!from) return null; // immigration withheld the period: the count cannot be made
  return categoryCounts(
    scope,
    await count(
      scope.regencies.map((r) => r.code),
      from,
    ),
    label,
  );
}

/**
 * Registration gaps per regency: each holder immigration passed judged by `registrationCompliance`
 * from their certificates in the caller's jurisdiction (each judged on its region's calendar day) (`certificates` reads them
 * all at once; the loaders of `selfReportCompliance` / `residenceCompliance` apply the same
 * jurisdiction), so the counts are those of the compliance fields.
 */
export async function gapCounts(
  b: BriefEntity,
  ctx: PermissionContext,
  certificates: () => Promise<readonly ({ foreignerId: string } & CertificateValidity)[]>,
) {
  const scope = await scopeOf(b, ctx);
  note(b, ctx);
  if (!b.registrationHolders) return null; // immigration withheld the holders
  const holders = new Map<string, RegistrationHolder>();
  for (const value of b.registrationHolders) {
    const holder = value ? decodeHolder(value) : null;
    if (holder) holders.set(holder.foreignerId, holder);
  }
  const held = new Map<string, CertificateValidity[]>();
  for (const c of await certificates()) {
    if (!holders.has(c.foreignerId)) continue;
    const list = held.get(c.foreignerId);
    if (list) list.push(c);
    else held.set(c.foreignerId, [c]);
  }
  return registrationGaps(scope, b.registrationHolders, (h) =>
    registrationCompliance({ currentPermit: { type: h.permitType } }, held.get(h.foreignerId) ?? []),
  );
}
