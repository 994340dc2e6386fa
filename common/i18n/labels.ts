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

/** A label without a separate short form: officers write the Indonesian name itself. */
function plain(idLabel: string, enLabel: string): Label {
  return { short: idLabel, id: idLabel, en: enLabel };
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
  StayPermitVerificationReason: {
    VALID: plain('Berlaku', 'Valid'),
    EXPIRED: plain('Kedaluwarsa', 'Expired'),
    REVOKED: plain('Dicabut', 'Revoked'),
    NO_MATCH: plain('Tidak cocok', 'No match'),
  },
  StayPurpose: {
    WORK: plain('Bekerja', 'Work'),
    INVESTMENT: plain('Investasi', 'Investment'),
    FAMILY: plain('Penyatuan keluarga', 'Family'),
    STUDY: plain('Studi', 'Study'),
    TOURISM: plain('Wisata', 'Tourism'),
    RETIREMENT: plain('Lanjut usia', 'Retirement'),
    DUTY: plain('Tugas', 'Duty'),
  },
  SponsorType: {
    COMPANY: plain('Perusahaan', 'Company'),
    INDIVIDUAL: plain('Perorangan', 'Individual'),
    INSTITUTION: plain('Lembaga', 'Institution'),
  },
  CrossingDirection: {
    ENTRY: plain('Kedatangan', 'Entry'),
    EXIT: plain('Keberangkatan', 'Exit'),
  },
  Sex: {
    FEMALE: plain('Perempuan', 'Female'),
    MALE: plain('Laki-laki', 'Male'),
  },
  RegistrationCompliance: {
    VALID: {
      short: 'SKTT berlaku',
      id: 'Surat Keterangan Tempat Tinggal (SKTT) berlaku',
      en: 'Registration certificate valid',
    },
    EXPIRED: { short: 'SKTT kedaluwarsa', id: 'SKTT kedaluwarsa', en: 'Registration certificate expired' },
    MISSING: { short: 'Tanpa SKTT', id: 'Belum memiliki SKTT', en: 'No registration certificate' },
    NOT_REQUIRED: { short: 'Tidak wajib SKTT', id: 'Tidak wajib SKTT', en: 'Not required' },
  },
  IncidentCategory: {
    THEFT: plain('Pencurian', 'Theft'),
    ASSAULT: plain('Penganiayaan', 'Assault'),
    FRAUD: plain('Penipuan', 'Fraud'),
    NARCOTICS: plain('Narkotika', 'Narcotics'),
    TRAFFIC: plain('Lalu lintas', 'Traffic'),
    PUBLIC_ORDER: plain('Ketertiban umum', 'Public order'),
    LABOUR_DISPUTE: plain('Perselisihan ketenagakerjaan', 'Labour dispute'),
    IMMIGRATION_VIOLATION: plain('Pelanggaran keimigrasian', 'Immigration violation'),
    OTHER: plain('Lainnya', 'Other'),
  },
  IncidentStatus: {
    REPORTED: plain('Dilaporkan', 'Reported'),
    UNDER_INVESTIGATION: plain('Dalam penyelidikan', 'Under investigation'),
    RESOLVED: plain('Selesai', 'Resolved'),
    TRANSFERRED: plain('Dilimpahkan', 'Transferred'),
  },
  Involvement: {
    SUSPECT: plain('Tersangka', 'Suspect'),
    VICTIM: plain('Korban', 'Victim'),
    WITNESS: plain('Saksi', 'Witness'),
    REPORTER: plain('Pelapor', 'Reporter'),
  },
  CommunityReportCategory: {
    UNREGISTERED_STAY: plain('Tinggal tanpa lapor diri', 'Unregistered stay'),
    ILLEGAL_WORK: plain('Bekerja tanpa izin', 'Illegal work'),
    POLITICAL_ACTIVITY: plain('Kegiatan politik', 'Political activity'),
    SUSPICIOUS_ACTIVITY: plain('Kegiatan mencurigakan', 'Suspicious activity'),
    DISTURBANCE: plain('Gangguan ketertiban', 'Disturbance'),
    OTHER: plain('Lainnya', 'Other'),
  },
  CommunityReportStatus: {
    RECEIVED: plain('Diterima', 'Received'),
    VERIFIED: plain('Diverifikasi', 'Verified'),
    FORWARDED: plain('Diteruskan', 'Forwarded'),
    CLOSED: plain('Ditutup', 'Closed'),
  },
  AgencyType: {
    IMMIGRATION: plain('Imigrasi', 'Immigration'),
    POLICE: plain('Kepolisian', 'Police'),
    LOCAL_GOVERNMENT: plain('Pemerintah daerah', 'Local government'),
    MILITARY: plain('TNI', 'Military (TNI)'),
    PROSECUTOR: plain('Kejaksaan', 'Prosecutor'),
    INTELLIGENCE: plain('Intelijen', 'Intelligence'),
    NARCOTICS: plain('BNN', 'Narcotics agency (BNN)'),
    CUSTOMS: plain('Bea dan Cukai', 'Customs'),
    PARTNER: plain('Mitra', 'Partner'),
    AUDITOR: plain('Auditor', 'Auditor'),
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
