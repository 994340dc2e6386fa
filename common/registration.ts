/**
 * Registration certificates a stay permit requires: holders of an ITAS or ITAP must report
 * to the police (SKLD) and register their residence with Dukcapil (SKTT). The police and
 * local-government subgraphs decide compliance the same way, each from immigration's permit
 * type (`@requires`) and its own certificates.
 */
import { now } from './clock.js';
import { todayInRegion } from './time-zones.js';

/** Permit types whose holders need an SKLD and an SKTT: ITAS and ITAP. */
export const REGISTRATION_PERMIT_TYPES: readonly string[] = ['LIMITED_STAY', 'PERMANENT_STAY'];

export type RegistrationCompliance = 'VALID' | 'EXPIRED' | 'MISSING' | 'NOT_REQUIRED';

/** Immigration's permit facts as the gateway passes them with an entity (`@requires`). */
export interface RequiredPermitFacts {
  /** The permit in force: null when none is in force, undefined when the gateway did not pass it. */
  currentPermit?: { type: string } | null;
}

/**
 * A foreigner as the police and the local government know it: by id only (identity belongs to
 * immigration), with immigration's permit facts when the gateway passes them (`@requires`).
 */
export interface ForeignerRef extends RequiredPermitFacts {
  id: string;
}

/** A certificate's last day of validity and the region it was issued for. */
export interface CertificateValidity {
  validUntil: Date;
  regionCode: string;
}

/**
 * Is a certificate valid at `at`: its last day has not passed in the time zone of the region
 * it was issued for (WIB, WITA or WIT; a certificate valid until today is still valid today).
 */
export function certificateValidAt(certificate: CertificateValidity, at: Date = now()): boolean {
  return certificate.validUntil >= todayInRegion(certificate.regionCode, at);
}

/**
 * Compliance of a foreigner, from the permit in force and the certificates the caller may see,
 * each judged on the calendar day of its own region (`certificateValidAt`). Null when the
 * permit facts were not passed (a direct `_entities` call without them): the answer is
 * unknown, not "not required".
 */
export function registrationCompliance(
  facts: RequiredPermitFacts,
  certificates: readonly CertificateValidity[],
  at: Date = now(),
): RegistrationCompliance | null {
  if (facts.currentPermit === undefined) return null;
  if (!facts.currentPermit || !REGISTRATION_PERMIT_TYPES.includes(facts.currentPermit.type)) return 'NOT_REQUIRED';
  if (certificates.length === 0) return 'MISSING';
  return certificates.some((c) => certificateValidAt(c, at)) ? 'VALID' : 'EXPIRED';
}
