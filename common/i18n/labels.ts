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
  AgencyType: {
    IMMIGRATION: { short: 'Imigrasi', id: 'Imigrasi', en: 'Immigration' },
    POLICE: { short: 'Polri', id: 'Kepolisian', en: 'Police' },
    LOCAL_GOVERNMENT: { short: 'Pemda', id: 'Pemerintah daerah', en: 'Local government' },
    MILITARY: { short: 'TNI', id: 'TNI', en: 'Military' },
    PROSECUTOR: { short: 'Kejaksaan', id: 'Kejaksaan', en: "Prosecutor's office" },
    INTELLIGENCE: { short: 'BIN', id: 'Badan Intelijen Negara', en: 'State intelligence' },
    NARCOTICS: { short: 'BNN', id: 'Badan Narkotika Nasional', en: 'Narcotics agency' },
    CUSTOMS: { short: 'Bea Cukai', id: 'Bea dan Cukai', en: 'Customs' },
    RELIGIOUS_AFFAIRS: { short: 'Kemenag', id: 'Kementerian Agama', en: 'Religious affairs' },
    MANPOWER: { short: 'Kemnaker', id: 'Ketenagakerjaan', en: 'Manpower' },
    TOURISM: { short: 'Dispar', id: 'Pariwisata', en: 'Tourism' },
    PARTNER: { short: 'Mitra', id: 'Mitra', en: 'Partner' },
    AUDITOR: { short: 'Auditor', id: 'Auditor', en: 'Auditor' },
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
