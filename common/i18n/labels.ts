/**
 * Names beside codes: what an officer reads in place of an enum value or a code. Permit types
 * and statuses carry their official Indonesian names (ITAS, ITAP, ITK, …, as the
 * immigration law names them); nationalities their Indonesian country names from `i18n-iso-countries`; regions their
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
  RegistrationCompliance: {
    VALID: { short: 'Berlaku', id: 'Berlaku', en: 'Valid' },
    EXPIRED: { short: 'Kedaluwarsa', id: 'Kedaluwarsa', en: 'Expired' },
    MISSING: { short: 'Tidak ada', id: 'Tidak ada', en: 'Missing' },
    NOT_REQUIRED: { short: 'Tidak wajib', id: 'Tidak wajib', en: 'Not required' },
  },
  Sex: {
    FEMALE: { short: 'P', id: 'Perempuan', en: 'Female' },
    MALE: { short: 'L', id: 'Laki-laki', en: 'Male' },
  },
  StayPurpose: {
    WORK: { short: 'Bekerja', id: 'Bekerja', en: 'Work' },
    INVESTMENT: { short: 'Penanaman modal', id: 'Penanaman modal', en: 'Investment' },
    FAMILY: { short: 'Penyatuan keluarga', id: 'Penyatuan keluarga', en: 'Family' },
    STUDY: { short: 'Belajar', id: 'Belajar', en: 'Study' },
    TOURISM: { short: 'Wisata', id: 'Wisata', en: 'Tourism' },
    RETIREMENT: { short: 'Lanjut usia', id: 'Wisatawan lanjut usia', en: 'Retirement' },
    DUTY: { short: 'Dinas', id: 'Tugas dinas', en: 'Official duty' },
  },
  SponsorType: {
    COMPANY: { short: 'Perusahaan', id: 'Perusahaan', en: 'Company' },
    INDIVIDUAL: { short: 'Perorangan', id: 'Perorangan', en: 'Individual' },
    INSTITUTION: { short: 'Lembaga', id: 'Lembaga', en: 'Institution' },
  },
  CrossingDirection: {
    ENTRY: { short: 'Masuk', id: 'Masuk', en: 'Entry' },
    EXIT: { short: 'Keluar', id: 'Keluar', en: 'Exit' },
  },
  WatchlistType: {
    PREVENTION: { short: 'Pencegahan', id: 'Pencegahan (keluar)', en: 'Prevention (exit ban)' },
    DETERRENCE: { short: 'Penangkalan', id: 'Penangkalan (masuk)', en: 'Deterrence (entry ban)' },
  },
  ImmigrationActionType: {
    DEPORTATION: { short: 'Deportasi', id: 'Deportasi', en: 'Deportation' },
    DETENTION: { short: 'Pendetensian', id: 'Pendetensian', en: 'Detention' },
    FINE: { short: 'Denda', id: 'Denda administratif', en: 'Administrative fine' },
    PERMIT_REVOCATION: { short: 'Pencabutan izin', id: 'Pencabutan izin tinggal', en: 'Permit revocation' },
    ENTRY_BAN: { short: 'Penangkalan', id: 'Penangkalan', en: 'Entry ban' },
  },
  IncidentCategory: {
    THEFT: { short: 'Pencurian', id: 'Pencurian', en: 'Theft' },
    ASSAULT: { short: 'Penganiayaan', id: 'Penganiayaan', en: 'Assault' },
    FRAUD: { short: 'Penipuan', id: 'Penipuan', en: 'Fraud' },
    NARCOTICS: { short: 'Narkotika', id: 'Narkotika', en: 'Narcotics' },
    TRAFFIC: { short: 'Lalu lintas', id: 'Kecelakaan lalu lintas', en: 'Traffic' },
    PUBLIC_ORDER: { short: 'Ketertiban umum', id: 'Gangguan ketertiban umum', en: 'Public order' },
    LABOUR_DISPUTE: { short: 'Sengketa kerja', id: 'Perselisihan hubungan kerja', en: 'Labour dispute' },
    IMMIGRATION_VIOLATION: {
      short: 'Pelanggaran keimigrasian',
      id: 'Pelanggaran keimigrasian',
      en: 'Immigration violation',
    },
    OTHER: { short: 'Lainnya', id: 'Lainnya', en: 'Other' },
  },
  Involvement: {
    SUSPECT: { short: 'Terlapor', id: 'Terlapor/tersangka', en: 'Suspect' },
    VICTIM: { short: 'Korban', id: 'Korban', en: 'Victim' },
    WITNESS: { short: 'Saksi', id: 'Saksi', en: 'Witness' },
    REPORTER: { short: 'Pelapor', id: 'Pelapor', en: 'Reporter' },
  },
  IncidentStatus: {
    REPORTED: { short: 'Dilaporkan', id: 'Dilaporkan', en: 'Reported' },
    UNDER_INVESTIGATION: { short: 'Penyelidikan', id: 'Dalam penyelidikan/penyidikan', en: 'Under investigation' },
    RESOLVED: { short: 'Selesai', id: 'Selesai', en: 'Resolved' },
    TRANSFERRED: { short: 'Dilimpahkan', id: 'Dilimpahkan', en: 'Transferred' },
  },
  EmployerSector: {
    PLANTATION: { short: 'Perkebunan', id: 'Perkebunan', en: 'Plantation' },
    MINING: { short: 'Pertambangan', id: 'Pertambangan', en: 'Mining' },
    ENERGY: { short: 'Energi', id: 'Energi', en: 'Energy' },
    CONSTRUCTION: { short: 'Konstruksi', id: 'Konstruksi', en: 'Construction' },
    MANUFACTURING: { short: 'Industri pengolahan', id: 'Industri pengolahan', en: 'Manufacturing' },
    EDUCATION: { short: 'Pendidikan', id: 'Pendidikan', en: 'Education' },
    HOSPITALITY: { short: 'Perhotelan', id: 'Perhotelan dan pariwisata', en: 'Hospitality' },
    OTHER: { short: 'Lainnya', id: 'Lainnya', en: 'Other' },
  },
  CommunityReportCategory: {
    UNREGISTERED_STAY: { short: 'Tinggal tanpa lapor', id: 'Tinggal tanpa lapor diri', en: 'Unregistered stay' },
    ILLEGAL_WORK: { short: 'Bekerja tanpa izin', id: 'Bekerja tanpa izin', en: 'Illegal work' },
    POLITICAL_ACTIVITY: { short: 'Kegiatan politik', id: 'Kegiatan politik', en: 'Political activity' },
    SUSPICIOUS_ACTIVITY: { short: 'Kegiatan mencurigakan', id: 'Kegiatan mencurigakan', en: 'Suspicious activity' },
    DISTURBANCE: { short: 'Gangguan', id: 'Gangguan ketenteraman', en: 'Disturbance' },
    OTHER: { short: 'Lainnya', id: 'Lainnya', en: 'Other' },
  },
  CommunityReportStatus: {
    RECEIVED: { short: 'Diterima', id: 'Diterima', en: 'Received' },
    VERIFIED: { short: 'Diverifikasi', id: 'Diverifikasi', en: 'Verified' },
    FORWARDED: { short: 'Diteruskan', id: 'Diteruskan', en: 'Forwarded' },
    CLOSED: { short: 'Ditutup', id: 'Ditutup', en: 'Closed' },
  },
  StayPermitVerificationReason: {
    VALID: { short: 'Berlaku', id: 'Berlaku', en: 'Valid' },
    EXPIRED: { short: 'Kedaluwarsa', id: 'Kedaluwarsa', en: 'Expired' },
    REVOKED: { short: 'Dicabut', id: 'Dicabut', en: 'Revoked' },
    NO_MATCH: { short: 'Tidak cocok', id: 'Tidak cocok', en: 'No match' },
  },
  RegionLevel: {
    PROVINCE: { short: 'Provinsi', id: 'Provinsi', en: 'Province' },
    REGENCY: { short: 'Kabupaten/kota', id: 'Kabupaten/kota', en: 'Regency/city' },
    DISTRICT: { short: 'Kecamatan', id: 'Kecamatan', en: 'District' },
    VILLAGE: { short: 'Desa/kelurahan', id: 'Desa/kelurahan', en: 'Village' },
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

/** What officers read where a foreigner has no permit in force (a null permit type). */
export const NO_PERMIT_LABEL: Readonly<Record<Language, string>> = {
  id: 'Tanpa izin berlaku',
  en: 'No permit in force',
};
