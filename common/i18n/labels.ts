/**
 * Names beside codes: what an officer reads in place of an enum value or a code. Permit types
 * and statuses carry their official Indonesian names (ITAS, ITAP, ITK, …, as PRODUCT.md defines
 * them); nationalities their Indonesian country names from `i18n-iso-countries`; regions their
 * Kemendagri names (from `RegionDirectory`). English labels are kept for `en` readers.
 */
import countries from 'i18n-iso-countries';
import id from 'i18n-iso-countries/langs/id.json' with { type: 'json' };
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };

countries.registerLocale(id);
countries.registerLocale(en);

export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

interface Label {
  /** Short form officers use (ITAS); the value itself when there is none. */
  short: string;
  id: string;
  en: string;
}

/** Labels of the values of the schema's enums, by enum name then value. */
export const ENUM_LABELS: Readonly<Record<string, Readonly<Record<string, Label>>>> = {
  StayPermitType: {
    VISIT: { short: 'ITK', id: 'Izin Tinggal Kunjungan (ITK)', en: 'Visit stay permit (ITK)' },
    LIMITED_STAY: { short: 'ITAS', id: 'Izin Tinggal Terbatas (ITAS)', en: 'Limited stay permit (ITAS)' },
    PERMANENT_STAY: { short: 'ITAP', id: 'Izin Tinggal Tetap (ITAP)', en: 'Permanent stay permit (ITAP)' },
    DIPLOMATIC: { short: 'Izin Tinggal Diplomatik', id: 'Izin Tinggal Diplomatik', en: 'Diplomatic stay permit' },
    SERVICE: { short: 'Izin Tinggal Dinas', id: 'Izin Tinggal Dinas', en: 'Service stay permit' },
  },
  StayPermitStatus: {
    ACTIVE: { short: 'Berlaku', id: 'Berlaku', en: 'In force' },
    EXPIRED: { short: 'Kedaluwarsa', id: 'Kedaluwarsa', en: 'Expired' },
    REVOKED: { short: 'Dicabut', id: 'Dicabut', en: 'Revoked' },
  },
  Population: {
    PRESENT: {
      short: 'Berada di wilayah',
      id: 'WNA berada di wilayah (izin tinggal berlaku, tidak tercatat keluar)',
      en: 'Present (permit in force, no exit since the last entry)',
    },
    REGISTERED: { short: 'Terdaftar', id: 'Semua WNA terdaftar', en: 'Every registered foreigner' },
  },
  CommunityReportCategory: {
    UNREGISTERED_STAY: { short: 'Tinggal tanpa terdaftar', id: 'Tinggal tanpa terdaftar', en: 'Unregistered stay' },
    ILLEGAL_WORK: { short: 'Bekerja tanpa izin', id: 'Bekerja tanpa izin', en: 'Illegal work' },
    POLITICAL_ACTIVITY: { short: 'Kegiatan politik', id: 'Kegiatan politik', en: 'Political activity' },
    SUSPICIOUS_ACTIVITY: { short: 'Kegiatan mencurigakan', id: 'Kegiatan mencurigakan', en: 'Suspicious activity' },
    DISTURBANCE: { short: 'Gangguan ketertiban', id: 'Gangguan ketertiban umum', en: 'Disturbance of public order' },
    OTHER: { short: 'Lainnya', id: 'Lainnya', en: 'Other' },
  },
  CommunityReportStatus: {
    RECEIVED: { short: 'Diterima', id: 'Diterima', en: 'Received' },
    VERIFIED: { short: 'Terverifikasi', id: 'Terverifikasi', en: 'Verified' },
    FORWARDED: { short: 'Diteruskan', id: 'Diteruskan', en: 'Forwarded' },
    CLOSED: { short: 'Selesai', id: 'Selesai', en: 'Closed' },
  },
};

/** The Kemendagri name of a region code; null for none (the whole country) or an unknown code. */
export function regionLabel(
  regions: { get(code: string): { name: string } | undefined },
  code: string | null,
): string | null {
  return code ? (regions.get(code)?.name ?? null) : null;
}

/** The label of an enum value; the value itself when it has none. */
export function enumLabel(enumName: string, value: string, language: Language = 'id'): string {
  return ENUM_LABELS[enumName]?.[value]?.[language] ?? value;
}

/** The short form officers write (ITAS), falling back to the full label. */
export function enumShortLabel(enumName: string, value: string): string {
  return ENUM_LABELS[enumName]?.[value]?.short ?? value;
}

/** The country's name for an ISO 3166-1 alpha-3 code (`CHN` → "China"); the code when unknown. */
export function countryLabel(code: string, language: Language = 'id'): string {
  return countries.getName(code, language) ?? code;
}
