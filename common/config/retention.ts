import { z } from 'zod';
import { parse, type Env } from './parse.js';

/**
 * Retention (README, "Retention"; common/retention/): how many whole years each kind of record
 * is kept at full detail, 0 keeping it for ever; and how often each subgraph applies its rules.
 */
const retentionSchema = z.object({
  /** Access-log records older than this are summarised into a signed checkpoint. */
  RETENTION_ACCESS_LOG_YEARS: z.coerce.number().int().min(0).max(100).default(5),
  /**
   * Foreigners who left the country longer ago than this are pseudonymised; the same age for
   * their records that outlive a stay: crossings, ended cekal, TAK, SKLD, SKTT and employment.
   */
  RETENTION_FOREIGNER_YEARS: z.coerce.number().int().min(0).max(100).default(10),
  /** Stay permits expired longer ago than this are deleted. */
  RETENTION_PERMIT_YEARS: z.coerce.number().int().min(0).max(100).default(10),
  /** Closed incidents (resolved or transferred) and closed community reports older than this are reduced. */
  RETENTION_INCIDENT_YEARS: z.coerce.number().int().min(0).max(100).default(5),
  /** How often each subgraph applies its own rules, in hours; 0: only `npm run retention` applies them. */
  RETENTION_INTERVAL_H: z.coerce.number().int().min(0).max(8760).default(24),
});

export interface RetentionConfig {
  accessLogYears: number;
  foreignerYears: number;
  permitYears: number;
  incidentYears: number;
  /** 0: the scheduled job is off. */
  intervalMs: number;
}

/** The retention rules' ages and the scheduled job's interval; a ConfigError lists every problem. */
export function loadRetentionConfig(env: Env = process.env): RetentionConfig {
  const c = parse(retentionSchema, env);
  return {
    accessLogYears: c.RETENTION_ACCESS_LOG_YEARS,
    foreignerYears: c.RETENTION_FOREIGNER_YEARS,
    permitYears: c.RETENTION_PERMIT_YEARS,
    incidentYears: c.RETENTION_INCIDENT_YEARS,
    intervalMs: c.RETENTION_INTERVAL_H * 3_600_000,
  };
}
