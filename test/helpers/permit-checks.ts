/**
 * What the permit-oracle tests send: the partner documents and a member's ad-hoc check of
 * `verifyStayPermit`, callers of their own, permit holders with known passport numbers, and a
 * count of the attempts per attack class for the closing note of issue 10.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AccessRecord } from '../../common/audit/access-log.js';
import type { TokenRequest } from '../../common/auth/tokens.js';
import { records } from './fixtures.js';
import { graphql, tokenFor, type GraphQLResponse } from './graphql.js';
import type { TestHub } from './hub.js';

const partnerDocument = (name: string) =>
  fs.readFileSync(new URL(`../../schema/operations/partner/${name}.graphql`, import.meta.url), 'utf8');
export const VERIFY = partnerDocument('VerifyStayPermit');
export const VERIFY_WITH_REASON = partnerDocument('VerifyStayPermitWithReason');
/** What a member agency sends (members are not bound to trusted documents). */
export const CHECK = `query Check($permitNumber: String!, $passportNumber: String!) {
  verifyStayPermit(permitNumber: $permitNumber, passportNumber: $passportNumber) { valid reason expiresAt }
}`;

/** The defaults in force (common/config/permit-checks.ts), which the main hub of this file runs with. */
export const PER_CALLER_PER_MINUTE = 10;
export const PER_PERMIT_PER_DAY = 10;

/** Attempts sent per attack class, for the closing note of issue 10. */
export const attempts: Record<string, number> = {};
export function attempt(attackClass: string): void {
  attempts[attackClass] = (attempts[attackClass] ?? 0) + 1;
}

let sequence = 0;

/** A caller of its own (subject of one institution), so each test starts with fresh per-caller counts. */
export async function caller(
  kind: 'partner' | 'member' | 'military',
  label: string,
): Promise<{ token: string; subject: string }> {
  sequence += 1;
  const subject = `${label}-${sequence}-${randomBytes(3).toString('hex')}`;
  const request: TokenRequest = {
    partner: {
      agencyType: 'PARTNER',
      agency: 'PT-SAWIT-OGAN-LESTARI',
      jurisdiction: ['16.01'],
      scopes: ['permit:read', 'stats:read'],
    } satisfies TokenRequest,
    // member agencies without passport:read: they see passport numbers masked
    member: { agencyType: 'LOCAL_GOVERNMENT', agency: 'DUKCAPIL-OKU', jurisdiction: ['16.01'] } satisfies TokenRequest,
    military: { agencyType: 'MILITARY', agency: 'KODIM-0403-OKU', jurisdiction: ['16.01'] } satisfies TokenRequest,
  }[kind];
  return { token: await tokenFor({ ...request, subject }), subject };
}

export interface Holder {
  foreignerId: string;
  passportNumber: string;
  permitNumber: string;
}

export type Check = GraphQLResponse<{
  verifyStayPermit: { valid: boolean; reason?: string; expiresAt: string | null };
}>;

/** `n` aliases of one check in one operation. */
export function aliased(n: number, permitNumber: string): string {
  const fields = Array.from(
    { length: n },
    (_, i) =>
      `c${i}: verifyStayPermit(permitNumber: "${permitNumber}", passportNumber: "P${String(1_000_000 + i).slice(-7)}") { valid }`,
  );
  return `query Guess { ${fields.join(' ')} }`;
}

/** Holders and checks on `current()`'s hub (none: checks go to subgraphs only). */
export function permitCheckTools(current: () => TestHub | undefined) {
  const gatewayUrl = () => current()?.gatewayUrl;
  return {
    /** A WNA living in `village` with one ITAS, valid until 2099 unless `permit` says otherwise. */
    async holder(
      village = '16.01.14.1001',
      permit: { type?: string; issuedAt?: string; expiresAt?: string; purpose?: string } = {},
    ): Promise<Holder> {
      const hub = current()!;
      // 'P' and 7 digits: the masked form `P1****67` hides four digits, 10,000 candidates
      const passportNumber = `P${String(1_000_000 + (Math.floor(Math.random() * 9_000_000) + sequence++)).slice(-7)}`;
      const foreignerId = await records.foreigner(hub, {
        fullName: 'Tran Thi Mai',
        nationality: 'VNM',
        domicileRegionCode: village,
        passportNumber,
      });
      const permitNumber = await records.permit(hub, foreignerId, {
        type: 'LIMITED_STAY',
        issuedAt: '2025-01-01',
        expiresAt: '2099-12-31',
        sponsor: { name: 'PT Sawit Ogan Lestari', type: 'COMPANY' },
        ...permit,
      });
      return { foreignerId, passportNumber, permitNumber };
    },
    check(
      url: string,
      token: string,
      permitNumber: string,
      passportNumber: string,
      document = url === gatewayUrl() ? VERIFY_WITH_REASON : CHECK,
    ): Promise<Check> {
      return graphql(url, document, {
        token,
        variables: { permitNumber, passportNumber },
        purpose: 'employment check',
      });
    },
    /** The HTTP answer itself, for its status and `Retry-After`. */
    async rawCheck(url: string, token: string, permitNumber: string, passportNumber: string) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          'x-purpose': 'employment check',
        },
        body: JSON.stringify({
          query: url === gatewayUrl() ? VERIFY_WITH_REASON : CHECK,
          variables: { permitNumber, passportNumber },
        }),
      });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: (await response.json()) as Check,
      };
    },
    accessRecordsOf(subject: string): Promise<AccessRecord[]> {
      return current()!
        .subgraphs.immigration.db.connection.collection<AccessRecord>('access_log')
        .find({ subject })
        .sort({ seq: 1 })
        .toArray();
    },
  };
}
