/**
 * Immigration's part of a meeting brief (`Query.meetingBrief`, `MeetingBrief`): the region and
 * its regencies, the foreigners present by nationality and permit, the expiring windows, the
 * overstays, the last meeting and the joint operations since. Each section reads through the
 * same service call as the query it stands for, with the caller's jurisdiction; who may read a
 * section is the access policy's (common/auth/policy.ts), applied before it is resolved.
 */
import { briefScope, encodeHolder, perRegency, startOfDayIn } from '../../../../common/brief/scope.js';
import { InputError } from '../../../../common/errors.js';
import { message } from '../../../../common/i18n/language.js';
import { NO_PERMIT_LABEL, countryLabel, enumShortLabel } from '../../../../common/i18n/labels.js';
import { officialRegions } from '../../../../common/regions.js';
import { formatCalendarDate, todayIn } from '../../../../common/time-zones.js';
import { now } from '../../../../common/clock.js';
import type { CoordinationMeetingDoc } from '../models/coordination.js';
import type { ImmigrationContext } from '../context.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import type { Brief } from '../services/meeting-brief.js';

/** Days after the meeting whose expiries the brief counts (the meeting day and the 29 after it). */
export const DAYS_AFTER_MEETING = 30;
/** Days the brief reports on when no earlier meeting is recorded. */
export const DEFAULT_PERIOD_DAYS = 90;
const DAY_MS = 86_400_000;

interface BriefRef {
  regionCode: string;
  meetingDate: Date | string;
}

async function openBrief(ref: BriefRef, ctx: ImmigrationContext): Promise<Brief> {
  const scope = briefScope(ref.regionCode, await officialRegions(), ctx.caller);
  const generatedAt = now();
  const meetingDate = ref.meetingDate instanceof Date ? ref.meetingDate : new Date(ref.meetingDate);
  return { regionCode: ref.regionCode, meetingDate, scope, today: todayIn(scope.zone, generatedAt), generatedAt };
}

function lastMeeting(b: Brief, ctx: ImmigrationContext): Promise<CoordinationMeetingDoc | null> {
  b.lastMeeting ??= ctx.coordination.lastMeetingBefore(b.scope.asked, b.meetingDate);
  return b.lastMeeting;
}

/** The first day the brief reports on: the day of the last meeting, else 90 days before today. */
async function periodStartDate(b: Brief, ctx: ImmigrationContext): Promise<Date> {
  const meeting = await lastMeeting(b, ctx);
  return meeting ? meeting.heldOn : new Date(b.today.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
}

const regencyCodes = (b: Brief) => b.scope.regencies.map((r) => r.code);

export const meetingBriefResolvers: Resolvers = {
  Query: {
    meetingBrief: async (_, args, ctx) => {
      const brief = await openBrief(args, ctx);
      if (args.meetingDate < brief.today) {
        throw new InputError(
          'meetingDate',
          message('brief.meetingInPast', {
            today: formatCalendarDate(brief.today),
            zone: brief.scope.zone.abbreviation,
          }),
        );
      }
      return brief;
    },
  },
  MeetingBrief: {
    __resolveReference: (ref, ctx) => openBrief(ref, ctx),
    regencies: (b) => b.scope.regencies.map((r) => ({ code: r.code, name: r.name })),
    timeZone: (b) => b.scope.zone.abbreviation,
    asOf: (b) => b.today,
    generatedAt: (b) => b.generatedAt,
    population: async (b, _, ctx) => {
      const statistics = await Promise.all(
        b.scope.regencies.map((r) =>
          ctx.foreignerStatistics.statistics(r.code, ['NATIONALITY', 'PERMIT_TYPE'], ctx.caller, 'PRESENT'),
        ),
      );
      return b.scope.regencies.map((r, i) => {
        const s = statistics[i]!;
        return {
          regionCode: r.code,
          regionName: r.name,
          total: s.total,
          suppressed: s.suppressed,
          unlisted: s.unlisted,
          groups: s.groups.map((g) => ({
            nationality: g.nationality,
            nationalityName: g.nationality ? countryLabel(g.nationality) : null,
            permitType: g.permitType,
            permitLabel: g.permitType ? enumShortLabel('StayPermitType', g.permitType) : NO_PERMIT_LABEL.id,
            count: g.count,
          })),
        };
      });
    },
    minimumCellSize: async (b, _, ctx) =>
      // the threshold is the same for every regency: read it from the first
      (await ctx.foreignerStatistics.statistics(b.scope.regencies[0]!.code, [], ctx.caller, 'PRESENT')).minimumCellSize,
    expiringBeforeMeeting: async (b, _, ctx) =>
      perRegency(
        b.scope,
        await ctx.foreignerStatistics.countByRegency(
          { population: 'PRESENT', permitExpiresBefore: b.meetingDate },
          regencyCodes(b),
          ctx.caller,
        ),
      ),
    expiringAfterMeeting: async (b, _, ctx) => {
      const end = new Date(b.meetingDate.getTime() + DAYS_AFTER_MEETING * DAY_MS);
      const [untilEnd, beforeMeeting] = await Promise.all([
        ctx.foreignerStatistics.countByRegency(
          { population: 'PRESENT', permitExpiresBefore: end },
          regencyCodes(b),
          ctx.caller,
        ),
        ctx.foreignerStatistics.countByRegency(
          { population: 'PRESENT', permitExpiresBefore: b.meetingDate },
          regencyCodes(b),
          ctx.caller,
        ),
      ]);
      const counts = new Map([...untilEnd].map(([code, n]) => [code, n - (beforeMeeting.get(code) ?? 0)]));
      return perRegency(b.scope, counts);
    },
    overstays: async (b, _, ctx) =>
      perRegency(
        b.scope,
        await ctx.foreignerStatistics.countByRegency({ overstaying: true }, regencyCodes(b), ctx.caller),
      ),
    lastMeeting: (b, _, ctx) => lastMeeting(b, ctx),
    periodStart: async (b, _, ctx) => startOfDayIn(b.scope.zone, await periodStartDate(b, ctx)),
    jointOperationsSince: async (b, _, ctx) =>
      ctx.coordination.operationsSince(b.scope.asked, await periodStartDate(b, ctx)),
    registrationHolders: async (b, _, ctx) =>
      (await ctx.foreignerStatistics.registrationHolders(regencyCodes(b), ctx.caller)).map((h) =>
        encodeHolder({ regency: h.domicileRegency, permitType: h.permitType, foreignerId: h._id }),
      ),
  },
};
