/** Calendar-date helpers; calendar dates are stored as UTC midnight. */

/** Midnight UTC of today: a permit expiring today is still valid today. */
export function startOfTodayUtc(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
