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
  IncidentCategory: {
    THEFT: { short: 'Pencurian', id: 'Pencurian', en: 'Theft' },
    ASSAULT: { short: 'Penganiayaan', id: 'Penganiayaan', en: 'Assault' },
    FRAUD: { short: 'Penipuan', id: 'Penipuan atau penggelapan', en: 'Fraud or embezzlement' },
    NARCOTICS: { short: 'Narkotika', id: 'Narkotika', en: 'Narcotics' },
    TRAFFIC: { short: 'Lalu lintas', id: 'Kecelakaan atau pelanggaran lalu lintas', en: 'Traffic' },
    PUBLIC_ORDER: { short: 'Ketertiban umum', id: 'Gangguan ketertiban umum', en: 'Public order' },
    LABOUR_DISPUTE: { short: 'Sengketa kerja', id: 'Perselisihan hubungan industrial', en: 'Labour dispute' },
    IMMIGRATION_VIOLATION: {
      short: 'Pelanggaran keimigrasian',
      id: 'Pelanggaran keimigrasian',
      en: 'Immigration violation',
    },
    OTHER: { short: 'Lainnya', id: 'Lainnya', en: 'Other' },
  },
  CommunityReportCategory: {
    UNREGISTERED_STAY: { short: 'Tinggal tanpa lapor', id: 'Tinggal tanpa terdaftar', en: 'Unregistered stay' },
    ILLEGAL_WORK: { short: 'Bekerja tanpa izin', id: 'Bekerja tanpa izin', en: 'Illegal work' },
    POLITICAL_ACTIVITY: { short: 'Kegiatan politik', id: 'Kegiatan politik', en: 'Political activity' },
    SUSPICIOUS_ACTIVITY: { short: 'Kegiatan mencurigakan', id: 'Kegiatan mencurigakan', en: 'Suspicious activity' },
    DISTURBANCE: { short: 'Gangguan ketertiban', id: 'Gangguan ketertiban', en: 'Disturbance' },
    OTHER: { short: 'Lainnya', id: 'Lainnya', en: 'Other' },
  },
};

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

/** What officers read where a foreigner has no permit in force (a null permit type). */
export const NO_PERMIT_LABEL: Readonly<Record<Language, string>> = {
  id: 'Tanpa izin berlaku',
  en: 'No permit in force',
};
