/**
 * The meeting brief being resolved (resolvers/meeting-brief.ts): its own module, so that the
 * generated resolver types can name it as the mapper of `MeetingBrief` without importing the
 * resolvers that import those types.
 */
import type { BriefScope } from '../../../../common/brief/scope.js';
import type { CoordinationMeetingDoc } from '../models/coordination.js';

/** The brief being resolved: what it covers, worked out once per request. */
export interface Brief {
  regionCode: string;
  meetingDate: Date;
  scope: BriefScope;
  today: Date;
  generatedAt: Date;
  lastMeeting?: Promise<CoordinationMeetingDoc | null>;
}
