/**
 * Asks the gateway for a meeting brief (the saved operation `MeetingBrief`) with the caller's token
 * and purpose. A section the caller may not read comes back null with `FORBIDDEN` at its path: it
 * is kept as withheld, and the rest of the brief is made. Any other error (bad input, no token, no
 * purpose, the hub down) stops the brief.
 */
import { decodeJwt } from 'jose';
import { findSavedOperation } from '../export/saved-operations.js';
import { SECTIONS, type BriefFile, type MeetingBrief, type Section } from './model.js';

export class BriefError extends Error {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
    /** The GraphQL error code when the gateway refused the request. */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'BriefError';
  }
}

export interface BriefRequest {
  gatewayUrl: string;
  token: string;
  purpose: string;
  regionCode: string;
  meetingDate: string;
}

interface ErrorBody {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string };
}

/** Who the token says is asking (shown as "Disiapkan oleh"); the gateway verifies the token itself. */
function preparedBy(token: string): BriefFile['preparedBy'] {
  try {
    const claims = decodeJwt(token) as { agency?: unknown; agencyType?: unknown };
    return { agency: String(claims.agency ?? '?'), agencyType: String(claims.agencyType ?? '?') };
  } catch {
    return { agency: '?', agencyType: '?' };
  }
}

export async function fetchBrief(request: BriefRequest): Promise<BriefFile> {
  const operation = findSavedOperation('MeetingBrief');
  let response: Response;
  try {
    response = await fetch(request.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${request.token}`,
        'x-purpose': request.purpose,
      },
      body: JSON.stringify({
        query: operation.text,
        operationName: operation.name,
        variables: { regionCode: request.regionCode, meetingDate: request.meetingDate },
      }),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
    throw new BriefError(`cannot reach the gateway at ${request.gatewayUrl} (${cause}); is the hub running?`);
  }
  const text = await response.text();
  let body: { data?: { meetingBrief?: MeetingBrief | null } | null; errors?: ErrorBody[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new BriefError(`the gateway answered HTTP ${response.status} without GraphQL: ${text.slice(0, 200)}`);
  }
  const withheld: BriefFile['withheld'] = {};
  const fatal: ErrorBody[] = [];
  for (const error of body.errors ?? []) {
    const [root, section] = error.path ?? [];
    const refused = error.extensions?.code === 'FORBIDDEN';
    if (root === 'meetingBrief' && refused && (SECTIONS as readonly unknown[]).includes(section)) {
      withheld[section as Section] ??= error.message;
    } else if (root === 'meetingBrief' && refused && typeof section === 'string' && body.data?.meetingBrief) {
      // a field inside a section (an attendee, say): the section shows what it holds
      continue;
    } else fatal.push(error);
  }
  const brief = body.data?.meetingBrief;
  if (fatal.length > 0 || !brief) {
    const first = fatal[0];
    throw new BriefError(
      first ? `the gateway refused the brief: ${first.message}` : `the gateway answered HTTP ${response.status}`,
      fatal.map((e) => `${e.extensions?.code ?? 'ERROR'}${e.path ? ` at ${e.path.join('.')}` : ''}: ${e.message}`),
      first?.extensions?.code ?? null,
    );
  }
  return { brief, preparedBy: preparedBy(request.token), purpose: request.purpose, withheld };
}
