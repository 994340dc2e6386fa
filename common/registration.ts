/**
 * Registration certificates a stay permit requires: holders of an ITAS or ITAP must report
 * to the police (SKLD) and register their residence with Dukcapil (SKTT). The police and
 * local-government subgraphs decide compliance the same way, each from immigration's permit
 * type (`@requires`) and its own certificates.
 */
import { startOfTodayUtc } from './dates.js';

/** Permit types whose holders need an SKLD and an SKTT: ITAS and ITAP. */
export const REGISTRATION_PERMIT_TYPES: readonly string[] = ['LIMITED_STAY', 'PERMANENT_STAY'];

export type RegistrationCompliance = 'VALID' | 'EXPIRED' | 'MISSING' | 'NOT_REQUIRED';

/** Immigration's permit facts as the gateway passes them with an entity (`@requires`). */
export interface RequiredPermitFacts {
  /** The permit in force: null when none is in force, undefined when the gateway did not pass it. */
  currentPermit?: { type: string } | null;
}

/**
 * Compliance of a foreigner, from the permit in force and the last days of validity of the
 * certificates the caller may see. Null when the permit facts were not passed (a direct
 * `_entities` call without them): the answer is unknown, not "not required".
 */
export function registrationCompliance(
  facts: RequiredPermitFacts,
  validUntil: readonly Date[],
  today = startOfTodayUtc(),
): RegistrationCompliance | null {
  if (facts.currentPermit === undefined) return null;
  if (!facts.currentPermit || !REGISTRATION_PERMIT_TYPES.includes(facts.currentPermit.type)) return 'NOT_REQUIRED';
  if (validUntil.length === 0) return 'MISSING';
  // a certificate valid until today is still valid today
  return validUntil.some((d) => d >= today) ? 'VALID' : 'EXPIRED';
}
