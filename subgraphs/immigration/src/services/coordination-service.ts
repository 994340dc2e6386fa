/**
 * TIMPORA coordination records: member institutions, coordination meetings, joint operations.
 * Recording a meeting or an operation is a write about its region: it is refused (`FORBIDDEN`,
 * naming `input.regionCode`) unless the region lies in the caller's jurisdiction — a regency's
 * team records its regency (and its districts), a province's team its province and regencies,
 * a national caller any region. Reading them is not limited by jurisdiction: they hold no
 * personal data and a province's TIMPORA meets for its regencies (docs/permissions.md).
 */
import { randomUUID } from 'node:crypto';
import type { QueryFilter } from 'mongoose';
import { z } from 'zod';
import { requireJurisdiction } from '../../../../common/auth/jurisdiction.js';
import type { Caller } from '../../../../common/auth/tokens.js';
import { InputError } from '../../../../common/errors.js';
import { localized, message } from '../../../../common/i18n/language.js';
import { regionContains, type RegionDirectory } from '../../../../common/regions.js';
import { date, optionalText, parseInput, regionCode, text } from '../../../../common/validation.js';
import type { AgencyType } from '../../../../common/auth/policy.js';
import type {
  AgencyDoc,
  CoordinationMeetingDoc,
  CoordinationModels,
  JointOperationDoc,
} from '../models/coordination.js';

/** Escaped anchored pattern: the region itself or anything below it. */
function regionPrefixCondition(code: string) {
  return { $regex: `^${code.replace(/\./g, '\\.')}(\\.|$)` };
}

/** Does a record of region `code` concern one of `codes`: inside it, or above it? */
function concerns(code: string, codes: readonly string[]): boolean {
  return codes.some((c) => regionContains(c, code) || regionContains(code, c));
}

const agencyCodes = z.array(z.string().min(1).max(64)).min(1, localized('input.atLeastOneInstitution')).max(100);

export class CoordinationService {
  private readonly meetingSchema;
  private readonly operationSchema;

  constructor(
    private readonly models: CoordinationModels,
    regions: RegionDirectory,
  ) {
    this.meetingSchema = z.object({
      title: text(300),
      heldOn: date,
      venue: text(300),
      regionCode: regionCode(regions),
      chairCode: z.string().min(1),
      attendeeCodes: agencyCodes,
      conclusions: optionalText(5000),
    });
    this.operationSchema = z.object({
      name: text(300),
      regionCode: regionCode(regions),
      startedOn: date,
      endedOn: date.nullish(),
      agencyCodes,
      foreignersChecked: z.number().int().min(0, localized('input.notNegative')),
      findings: optionalText(5000),
    });
  }

  agencies(type: AgencyType | null | undefined, region: string | null | undefined): Promise<AgencyDoc[]> {
    const filter: QueryFilter<AgencyDoc> = {};
    if (type) filter.type = type;
    if (region) filter.regionCode = regionPrefixCondition(region);
    return this.models.Agency.find(filter).sort({ _id: 1 }).lean<AgencyDoc[]>().exec();
  }

  meetings(region: string | null | undefined): Promise<CoordinationMeetingDoc[]> {
    const filter = region ? { regionCode: regionPrefixCondition(region) } : {};
    return this.models.CoordinationMeeting.find(filter).sort({ heldOn: -1 }).lean<CoordinationMeetingDoc[]>().exec();
  }

  operations(region: string | null | undefined): Promise<JointOperationDoc[]> {
    const filter = region ? { regionCode: regionPrefixCondition(region) } : {};
    return this.models.JointOperation.find(filter).sort({ startedOn: -1 }).lean<JointOperationDoc[]>().exec();
  }

  /**
   * The latest meeting held before `before` whose region lies inside one of `codes` or contains
   * one of them (a province's TIMPORA meets for its regencies), or null.
   */
  async lastMeetingBefore(codes: readonly string[], before: Date): Promise<CoordinationMeetingDoc | null> {
    const meetings = await this.models.CoordinationMeeting.find({ heldOn: { $lt: before } })
      .sort({ heldOn: -1 })
      .lean<CoordinationMeetingDoc[]>()
      .exec();
    return meetings.find((m) => concerns(m.regionCode, codes)) ?? null;
  }

  /** Joint operations started on or after `since` whose region lies inside one of `codes` or contains one, newest first. */
  async operationsSince(codes: readonly string[], since: Date): Promise<JointOperationDoc[]> {
    const operations = await this.models.JointOperation.find({ startedOn: { $gte: since } })
      .sort({ startedOn: -1 })
      .lean<JointOperationDoc[]>()
      .exec();
    return operations.filter((o) => concerns(o.regionCode, codes));
  }

  /** Fails on the first code that names no member institution. */
  private async requireAgencies(codes: { field: string; code: string }[]): Promise<void> {
    const unique = [...new Set(codes.map((c) => c.code))];
    const found = await this.models.Agency.find({ _id: { $in: unique } }, { _id: 1 })
      .lean<{ _id: string }[]>()
      .exec();
    const known = new Set(found.map((a) => a._id));
    const missing = codes.find((c) => !known.has(c.code));
    if (missing) throw new InputError(missing.field, message('input.unknownInstitution', { code: missing.code }));
  }

  /**
   * Records a meeting of a region in the caller's jurisdiction. The chair and attendees may serve
   * other regions (a provincial office chairs a regency's meeting): they are institutions that
   * attended, not places the meeting concerns, so only their existence is checked.
   */
  async recordMeeting(input: unknown, caller: Caller): Promise<CoordinationMeetingDoc> {
    const v = parseInput(this.meetingSchema, input);
    requireJurisdiction(caller, v.regionCode, 'input.regionCode');
    await this.requireAgencies([
      { field: 'input.chairCode', code: v.chairCode },
      ...v.attendeeCodes.map((code, i) => ({ field: `input.attendeeCodes.${i}`, code })),
    ]);
    const doc: CoordinationMeetingDoc = {
      _id: randomUUID(),
      ...v,
      attendeeCodes: [...new Set(v.attendeeCodes)],
      conclusions: v.conclusions ?? null,
    };
    await this.models.CoordinationMeeting.create(doc);
    return doc;
  }

  /** Records an operation in a region of the caller's jurisdiction (its institutions as in {@link recordMeeting}). */
  async recordOperation(input: unknown, caller: Caller): Promise<JointOperationDoc> {
    const v = parseInput(this.operationSchema, input);
    if (v.endedOn && v.endedOn < v.startedOn)
      throw new InputError('input.endedOn', message('input.notBefore', { start: 'startedOn' }));
    requireJurisdiction(caller, v.regionCode, 'input.regionCode');
    await this.requireAgencies(v.agencyCodes.map((code, i) => ({ field: `input.agencyCodes.${i}`, code })));
    const doc: JointOperationDoc = {
      _id: randomUUID(),
      ...v,
      agencyCodes: [...new Set(v.agencyCodes)],
      endedOn: v.endedOn ?? null,
      findings: v.findings ?? null,
    };
    await this.models.JointOperation.create(doc);
    return doc;
  }
}
