/**
 * Where the demo foreigners live and work: fictional employers in OKU Raya (and a few
 * elsewhere), the spread of domiciles over regencies, addresses, and which immigration
 * office, Polres and Dukcapil serve a region. Company names are invented.
 */
import type { RegionDirectory, RegionRecord } from '../../common/regions.js';
import { WeightedTable, type Rng, type Weighted } from './random.js';

export const SECTORS = [
  'PALM_OIL',
  'COAL_MINING',
  'POWER_PLANT',
  'CEMENT',
  'CONSTRUCTION',
  'AGRIBUSINESS',
  'MINING',
  'GEOTHERMAL',
  'HOSPITALITY',
  'LOGISTICS',
  'OIL_GAS',
  'PULP_PAPER',
  'CONSULTING',
] as const;
export type Sector = (typeof SECTORS)[number];

export interface CompanySeed {
  name: string;
  sector: Sector;
  /** District (kecamatan) code where the site is. */
  districtCode: string;
  street: string;
  /** Relative share of the foreign workforce. */
  weight: number;
  /** Whether foreign staff usually live in a company mess at the site. */
  mess: boolean;
}

/** Fictional employers: 25 in OKU Raya, the rest elsewhere in Sumatera Selatan and beyond. */
// prettier-ignore
export const COMPANY_SEEDS: readonly CompanySeed[] = [
  // Ogan Komering Ulu (16.01)
  { name: 'PT Semen Ogan Perkasa', sector: 'CEMENT', districtCode: '16.01.14', street: 'Jl. Raya Baturaja–Prabumulih Km 3', weight: 70, mess: true },
  { name: 'PT PLTU Baturaja Energi', sector: 'POWER_PLANT', districtCode: '16.01.07', street: 'Jl. Lintas Sumatera Km 12', weight: 95, mess: true },
  { name: 'PT Batubara Komering Jaya', sector: 'COAL_MINING', districtCode: '16.01.21', street: 'Jl. Tambang Semidang Aji', weight: 80, mess: true },
  { name: 'PT Tambang Pengandonan Sejahtera', sector: 'COAL_MINING', districtCode: '16.01.08', street: 'Jl. Poros Pengandonan Km 8', weight: 45, mess: true },
  { name: 'PT Sawit Ogan Lestari', sector: 'PALM_OIL', districtCode: '16.01.09', street: 'Jl. Kebun Peninjauan Afdeling II', weight: 40, mess: true },
  { name: 'PT Agro Lengkiti Makmur', sector: 'PALM_OIL', districtCode: '16.01.28', street: 'Jl. Kebun Lengkiti Km 5', weight: 22, mess: true },
  { name: 'PT Karet Lubuk Batang Abadi', sector: 'AGRIBUSINESS', districtCode: '16.01.22', street: 'Jl. Raya Lubuk Batang', weight: 10, mess: false },
  { name: 'PT Konstruksi Baturaja Rekayasa', sector: 'CONSTRUCTION', districtCode: '16.01.13', street: 'Jl. Dr. Moh. Hatta No. 118', weight: 35, mess: false },
  { name: 'PT Kapur Ulu Ogan Mineral', sector: 'MINING', districtCode: '16.01.20', street: 'Jl. Bukit Kapur Ulu Ogan', weight: 18, mess: true },
  { name: 'PT Baturaja Logistik Nusantara', sector: 'LOGISTICS', districtCode: '16.01.14', street: 'Jl. Jenderal Sudirman No. 41', weight: 8, mess: false },
  // Ogan Komering Ulu Timur (16.08)
  { name: 'PT Sawit Komering Timur Lestari', sector: 'PALM_OIL', districtCode: '16.08.02', street: 'Jl. Kebun Buay Madang Km 9', weight: 60, mess: true },
  { name: 'PT Belitang Agro Sentosa', sector: 'AGRIBUSINESS', districtCode: '16.08.03', street: 'Jl. Raya Gumawang', weight: 25, mess: false },
  { name: 'PT Martapura Palm Industri', sector: 'PALM_OIL', districtCode: '16.08.01', street: 'Jl. Lintas Timur Martapura Km 4', weight: 50, mess: true },
  { name: 'PT Madang Sawit Nusantara', sector: 'PALM_OIL', districtCode: '16.08.06', street: 'Jl. Kebun Madang Suku II', weight: 30, mess: true },
  { name: 'PT Semendawai Bioenergi', sector: 'POWER_PLANT', districtCode: '16.08.08', street: 'Jl. Industri Semendawai', weight: 60, mess: true },
  { name: 'PT Gula Komering Manis', sector: 'AGRIBUSINESS', districtCode: '16.08.04', street: 'Jl. Pabrik Gula Cempaka', weight: 20, mess: true },
  { name: 'PT Bunga Mayang Karya Tani', sector: 'AGRIBUSINESS', districtCode: '16.08.11', street: 'Jl. Raya Bunga Mayang', weight: 12, mess: false },
  // Ogan Komering Ulu Selatan (16.09)
  { name: 'PT Panas Bumi Ranau Energi', sector: 'GEOTHERMAL', districtCode: '16.09.03', street: 'Jl. Proyek Panas Bumi Banding Agung', weight: 18, mess: true },
  { name: 'PT Kopi Ranau Mandiri', sector: 'AGRIBUSINESS', districtCode: '16.09.12', street: 'Jl. Raya Ranau Tengah', weight: 10, mess: false },
  { name: 'PT Tambang Emas Kisam Raya', sector: 'MINING', districtCode: '16.09.10', street: 'Jl. Eksplorasi Kisam Tinggi', weight: 10, mess: true },
  { name: 'PT PLTA Selabung Hidro', sector: 'POWER_PLANT', districtCode: '16.09.04', street: 'Jl. Bendungan Selabung', weight: 12, mess: true },
  { name: 'PT Muaradua Konstruksi Utama', sector: 'CONSTRUCTION', districtCode: '16.09.01', street: 'Jl. Merdeka No. 27, Muaradua', weight: 15, mess: false },
  { name: 'PT Mekakau Batubara Sejati', sector: 'COAL_MINING', districtCode: '16.09.08', street: 'Jl. Tambang Mekakau Ilir', weight: 12, mess: true },
  { name: 'PT Sawit Simpang Selatan', sector: 'PALM_OIL', districtCode: '16.09.05', street: 'Jl. Kebun Simpang Km 6', weight: 15, mess: true },
  { name: 'PT Ranau Resort Wisata', sector: 'HOSPITALITY', districtCode: '16.09.03', street: 'Jl. Wisata Danau Ranau', weight: 5, mess: false },
  // elsewhere in Sumatera Selatan
  { name: 'PT Tambang Enim Sentosa', sector: 'COAL_MINING', districtCode: '16.03.07', street: 'Jl. Lintas Tanjung Enim Km 2', weight: 30, mess: true },
  { name: 'PT PLTU Lahat Daya', sector: 'POWER_PLANT', districtCode: '16.04.17', street: 'Jl. Lintas Sumatera Kikim Timur', weight: 25, mess: true },
  { name: 'PT Kilang Musi Petrokimia', sector: 'OIL_GAS', districtCode: '16.71.14', street: 'Jl. Kapten Abdullah, Plaju', weight: 20, mess: false },
  { name: 'PT Sawit Banyuasin Jaya', sector: 'PALM_OIL', districtCode: '16.07.05', street: 'Jl. Palembang–Betung Km 61', weight: 12, mess: true },
  { name: 'PT Kertas Komering Ilir', sector: 'PULP_PAPER', districtCode: '16.02.14', street: 'Jl. Industri Air Sugihan', weight: 20, mess: true },
  { name: 'PT Musi Rawas Migas', sector: 'OIL_GAS', districtCode: '16.05.02', street: 'Jl. Lapangan Minyak Muara Lakitan', weight: 8, mess: true },
  { name: 'PT Prabumulih Gas Engineering', sector: 'OIL_GAS', districtCode: '16.74.02', street: 'Jl. Jenderal Sudirman No. 88, Prabumulih', weight: 6, mess: false },
  // other provinces (head offices and contractors that send staff to OKU Raya)
  { name: 'PT Galangan Kapal Batam Samudera', sector: 'CONSTRUCTION', districtCode: '21.71.02', street: 'Jl. Yos Sudarso, Batu Ampar', weight: 5, mess: false },
  { name: 'PT Energi Nusantara Konsultindo', sector: 'CONSULTING', districtCode: '31.74.02', street: 'Jl. H.R. Rasuna Said Kav. 12', weight: 5, mess: false },
  { name: 'PT Lampung Agro Nusa', sector: 'AGRIBUSINESS', districtCode: '18.71.04', street: 'Jl. Yos Sudarso No. 200, Panjang', weight: 4, mess: false },
];

/** Sector preferences by nationality: multipliers of a company's weight (1 when unlisted). */
// prettier-ignore
const AFFINITY: Record<string, Partial<Record<Sector, number>>> = {
  CHN: { POWER_PLANT: 3, COAL_MINING: 3, CEMENT: 2.5, CONSTRUCTION: 2, MINING: 2, PALM_OIL: 0.3, AGRIBUSINESS: 0.2, HOSPITALITY: 0.1, CONSULTING: 0.3 },
  IND: { PALM_OIL: 2.5, CEMENT: 2, AGRIBUSINESS: 1.5, PULP_PAPER: 2, COAL_MINING: 0.5, HOSPITALITY: 0.3 },
  MYS: { PALM_OIL: 5, AGRIBUSINESS: 2, OIL_GAS: 1.5, COAL_MINING: 0.3, POWER_PLANT: 0.3 },
  KOR: { POWER_PLANT: 3, CONSTRUCTION: 3, PALM_OIL: 0.5, COAL_MINING: 0.8 },
  JPN: { GEOTHERMAL: 5, POWER_PLANT: 2, AGRIBUSINESS: 1.5, PALM_OIL: 0.3, COAL_MINING: 0.3 },
  PHL: { PALM_OIL: 2, CONSTRUCTION: 2, HOSPITALITY: 2 },
  VNM: { CONSTRUCTION: 2, COAL_MINING: 1.5, AGRIBUSINESS: 1.5 },
  AUS: { MINING: 4, COAL_MINING: 3, GEOTHERMAL: 2, CONSULTING: 2, PALM_OIL: 0.3 },
  ZAF: { MINING: 5, COAL_MINING: 4 },
  GBR: { CONSULTING: 4, OIL_GAS: 3, GEOTHERMAL: 2, MINING: 2 },
  USA: { CONSULTING: 4, OIL_GAS: 3, GEOTHERMAL: 2 },
  CAN: { MINING: 4, CONSULTING: 2 },
  NLD: { PALM_OIL: 2, AGRIBUSINESS: 3, CONSULTING: 2 },
  DEU: { CEMENT: 3, POWER_PLANT: 2, GEOTHERMAL: 2 },
  FRA: { CEMENT: 3, CONSULTING: 2 },
  ITA: { GEOTHERMAL: 3, CONSTRUCTION: 2 },
  TUR: { CONSTRUCTION: 3, POWER_PLANT: 2 },
  THA: { AGRIBUSINESS: 3, PALM_OIL: 2, CEMENT: 2 },
  TWN: { PULP_PAPER: 3, AGRIBUSINESS: 2, CONSTRUCTION: 1.5 },
  SGP: { LOGISTICS: 4, PALM_OIL: 2, CONSULTING: 2, OIL_GAS: 2 },
};

/** Positions by sector, as written in work permits (RPTKA). */
// prettier-ignore
export const POSITIONS: Record<Sector, readonly string[]> = {
  PALM_OIL: ['Mill Manager', 'Estate Manager', 'Mill Process Engineer', 'Agronomist', 'Maintenance Engineer', 'Quality Control Manager', 'Finance Controller'],
  COAL_MINING: ['Mining Engineer', 'Geologist', 'Heavy Equipment Supervisor', 'Mine Planning Engineer', 'Safety Supervisor', 'Site Manager', 'Mechanical Technician'],
  POWER_PLANT: ['Boiler Engineer', 'Turbine Engineer', 'Electrical Engineer', 'Instrumentation and Control Engineer', 'Commissioning Engineer', 'Plant Operations Manager', 'Welding Inspector'],
  CEMENT: ['Kiln Process Engineer', 'Production Manager', 'Mechanical Engineer', 'Quality Assurance Manager', 'Electrical Supervisor'],
  CONSTRUCTION: ['Project Manager', 'Civil Engineer', 'Structural Engineer', 'Construction Supervisor', 'Quantity Surveyor', 'HSE Manager'],
  AGRIBUSINESS: ['Plantation Advisor', 'Factory Manager', 'Agronomist', 'Production Supervisor', 'Export Manager'],
  MINING: ['Exploration Geologist', 'Mining Engineer', 'Drilling Supervisor', 'Metallurgist', 'Site Manager'],
  GEOTHERMAL: ['Reservoir Engineer', 'Drilling Engineer', 'Geoscientist', 'Project Director', 'Power Plant Engineer'],
  HOSPITALITY: ['General Manager', 'Executive Chef', 'Resort Operations Manager'],
  LOGISTICS: ['Operations Director', 'Fleet Manager', 'Supply Chain Manager'],
  OIL_GAS: ['Production Engineer', 'Process Engineer', 'Drilling Supervisor', 'HSE Advisor', 'Facility Manager'],
  PULP_PAPER: ['Pulp Mill Manager', 'Process Engineer', 'Maintenance Manager', 'Chemical Engineer'],
  CONSULTING: ['Technical Advisor', 'Environmental Consultant', 'Energy Consultant', 'Project Auditor'],
};

export interface Company extends CompanySeed {
  village: RegionRecord;
  district: RegionRecord;
  regency: RegionRecord;
  address: string;
}

/** Regency capitals: the district where a regency's offices (and most lodgings) are. */
const REGENCY_SEAT: Record<string, string> = {
  '16.01': '16.01.14',
  '16.08': '16.08.01',
  '16.09': '16.09.01',
};

/**
 * Where foreigners without an employer live: OKU Raya first (OKU the largest share), then
 * the rest of Sumatera Selatan and a few other provinces.
 */
const DOMICILE_REGENCIES: Weighted<string> = [
  ['16.01', 45],
  ['16.08', 25],
  ['16.09', 16],
  ['16.71', 5],
  ['16.03', 2],
  ['16.04', 1.5],
  ['16.74', 1],
  ['16.02', 1],
  ['16.10', 0.5],
  ['31.74', 1],
  ['21.71', 0.8],
  ['18.71', 0.6],
  ['12.71', 0.3],
  ['17.71', 0.2],
  ['14.71', 0.2],
  ['51.03', 0.2],
];

// prettier-ignore
const STREETS = [
  'Jl. Jenderal Sudirman', 'Jl. Ahmad Yani', 'Jl. Dr. Moh. Hatta', 'Jl. Merdeka', 'Jl. Kartini', 'Jl. Imam Bonjol',
  'Jl. Veteran', 'Jl. Garuda', 'Jl. Lintas Sumatera', 'Jl. Pahlawan', 'Jl. Diponegoro', 'Jl. Letnan Muchtar Saleh',
  'Jl. Kolonel Wahab Sarobu', 'Jl. Akmal', 'Jl. Kemuning', 'Jl. Bhayangkara', 'Jl. Pramuka', 'Jl. Cempaka',
  'Jl. Melati', 'Jl. Perumnas', 'Jl. Lettu Rozali', 'Jl. Raya Desa', 'Jl. Pasar Lama', 'Jl. Masjid Agung',
];

/** The region tree and the seed's places, resolved against the official region list. */
export class Places {
  readonly companies: Company[];
  private readonly companyTables = new Map<string, WeightedTable<Company>>();
  private readonly regencyTable = new WeightedTable(DOMICILE_REGENCIES);
  private readonly districtsCache = new Map<string, readonly RegionRecord[]>();

  constructor(readonly regions: RegionDirectory) {
    this.companies = COMPANY_SEEDS.map((seed) => {
      const district = this.require(seed.districtCode);
      const regency = this.require(district.parentCode!);
      // the site is in the district's first village (a fixed choice keeps addresses stable)
      const village = this.villagesOf(district.code)[0]!;
      return {
        ...seed,
        village,
        district,
        regency,
        address: `${seed.street}, ${villageLabel(village)}, Kecamatan ${district.name}, ${regency.name}`,
      };
    });
    for (const code of DOMICILE_REGENCIES.map(([c]) => c)) this.require(code);
  }

  private require(code: string): RegionRecord {
    const region = this.regions.get(code);
    if (!region) throw new Error(`seed region ${code} is not in the official region list`);
    return region;
  }

  get(code: string): RegionRecord {
    return this.require(code);
  }

  villagesOf(districtCode: string): readonly RegionRecord[] {
    const villages = this.regions.childrenOf(districtCode);
    if (villages.length === 0) throw new Error(`district ${districtCode} has no villages`);
    return villages;
  }

  private districtsOf(regencyCode: string): readonly RegionRecord[] {
    let list = this.districtsCache.get(regencyCode);
    if (!list) {
      list = this.regions.childrenOf(regencyCode).filter((d) => this.regions.childrenOf(d.code).length > 0);
      this.districtsCache.set(regencyCode, list);
    }
    return list;
  }

  /** An employer for a worker of `nationality`, weighted by size and sector preference. */
  employer(rng: Rng, nationality: string): Company {
    let table = this.companyTables.get(nationality);
    if (!table) {
      const affinity = AFFINITY[nationality] ?? {};
      table = new WeightedTable(this.companies.map((c) => [c, c.weight * (affinity[c.sector] ?? 1)] as const));
      this.companyTables.set(nationality, table);
    }
    return table.draw(rng);
  }

  /** A village where a worker of `company` lives: near the site, or in the regency seat. */
  workerVillage(rng: Rng, company: Company): RegionRecord {
    const x = rng.next();
    let district: RegionRecord;
    if (x < 0.6) district = company.district;
    else if (x < 0.8) district = this.get(REGENCY_SEAT[company.regency.code] ?? company.district.code);
    else district = rng.pick(this.districtsOf(company.regency.code));
    return rng.pick(this.villagesOf(district.code));
  }

  /** A village for a foreigner without an employer (spouse, retiree, visitor, official). */
  residentVillage(rng: Rng, regencyCode?: string): RegionRecord {
    const regency = regencyCode ?? this.regencyTable.draw(rng);
    const seat = REGENCY_SEAT[regency];
    const district = seat && rng.chance(0.5) ? this.get(seat) : rng.pick(this.districtsOf(regency));
    return rng.pick(this.villagesOf(district.code));
  }

  /** A street address in a village: `Jl. Merdeka No. 12, RT 003/RW 002, Kel. Pasar Baru, …`. */
  streetAddress(rng: Rng, village: RegionRecord): string {
    const district = this.get(village.parentCode!);
    const regency = this.get(district.parentCode!);
    const rt = String(rng.int(1, 12)).padStart(3, '0');
    const rw = String(rng.int(1, 6)).padStart(3, '0');
    return `${rng.pick(STREETS)} No. ${rng.int(1, 250)}, RT ${rt}/RW ${rw}, ${villageLabel(village)}, Kecamatan ${district.name}, ${regency.name}`;
  }

  /** The company mess (staff housing) at the site. */
  messAddress(rng: Rng, company: Company): string {
    return `Mess Karyawan ${company.name} Blok ${rng.pick(['A', 'B', 'C', 'D', 'E'])} No. ${rng.int(1, 40)}, ${company.street}, ${villageLabel(company.village)}, Kecamatan ${company.district.name}, ${company.regency.name}`;
  }

  regencyOf(code: string): RegionRecord {
    return this.get(code.split('.').slice(0, 2).join('.'));
  }

  /** Another village of the same district (for incidents and reports near a domicile). */
  nearbyVillage(rng: Rng, villageCode: string): RegionRecord {
    const village = this.get(villageCode);
    return rng.chance(0.6) ? village : rng.pick(this.villagesOf(village.parentCode!));
  }
}

/** `Kel. Pasar Baru` for an urban kelurahan (code 1xxx), `Desa Lubuk Batang` otherwise. */
export function villageLabel(village: RegionRecord): string {
  const last = village.code.split('.')[3] ?? '';
  return `${last.startsWith('1') ? 'Kel.' : 'Desa'} ${village.name}`;
}

/** The short regency name without "Kabupaten"/"Kota": `Ogan Komering Ulu Timur`, `Palembang`. */
export function shortRegencyName(regency: RegionRecord): string {
  return regency.name.replace(/^(Kabupaten|Kota Administrasi|Kota)\s+/, '');
}

/**
 * The immigration office serving OKU Raya. Baturaja has no office of its own: the Kantor
 * Imigrasi Kelas II Non TPI Muara Enim serves the three regencies through its work unit (Unit
 * Kerja Kantor Imigrasi) in Baturaja, and issues their permits. "Non TPI": it runs no
 * checkpoint. The one name used for it in the data, README, docs and clients.
 */
export const OKU_RAYA_IMMIGRATION_OFFICE = 'Kantor Imigrasi Kelas II Non TPI Muara Enim';

const IMMIGRATION_OFFICES: Record<string, string> = {
  '16.01': OKU_RAYA_IMMIGRATION_OFFICE,
  '16.08': OKU_RAYA_IMMIGRATION_OFFICE,
  '16.09': OKU_RAYA_IMMIGRATION_OFFICE,
  '16': 'Kantor Imigrasi Kelas I TPI Palembang',
  '31': 'Kantor Imigrasi Kelas I Non TPI Jakarta Selatan',
  '21': 'Kantor Imigrasi Kelas I Khusus TPI Batam',
  '18': 'Kantor Imigrasi Kelas I TPI Bandar Lampung',
  '12': 'Kantor Imigrasi Kelas I Khusus TPI Medan',
  '17': 'Kantor Imigrasi Kelas I TPI Bengkulu',
  '14': 'Kantor Imigrasi Kelas I TPI Pekanbaru',
  '51': 'Kantor Imigrasi Kelas I Khusus TPI Ngurah Rai',
};

/** The immigration office that serves a domicile region. */
export function immigrationOfficeFor(regionCode: string): string {
  const parts = regionCode.split('.');
  return (
    IMMIGRATION_OFFICES[`${parts[0]}.${parts[1]}`] ?? IMMIGRATION_OFFICES[parts[0]!] ?? 'Direktorat Jenderal Imigrasi'
  );
}

/** The immigration office at a checkpoint, which issues visit stay permits on arrival. */
export const CHECKPOINT_OFFICES: Record<string, string> = {
  CGK: 'Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta',
  PLM: 'Kantor Imigrasi Kelas I TPI Palembang',
  DPS: 'Kantor Imigrasi Kelas I Khusus TPI Ngurah Rai',
  KNO: 'Kantor Imigrasi Kelas I Khusus TPI Medan',
  SUB: 'Kantor Imigrasi Kelas I Khusus TPI Surabaya',
  BTH: 'Kantor Imigrasi Kelas I Khusus TPI Batam',
  BTC: 'Kantor Imigrasi Kelas I Khusus TPI Batam',
  UPG: 'Kantor Imigrasi Kelas I Khusus TPI Makassar',
  BOM: 'Kantor Imigrasi Kelas I TPI Palembang',
  TPK: 'Kantor Imigrasi Kelas I Khusus TPI Jakarta Utara',
  DUM: 'Kantor Imigrasi Kelas II TPI Dumai',
  ETK: 'Kantor Imigrasi Kelas II TPI Entikong',
};

/** The police unit (Polres) of a region: its name, and the short form printed in numbers. */
export function policeUnitFor(places: Places, regionCode: string): { name: string; short: string } {
  const regency = places.regencyOf(regionCode);
  switch (regency.code) {
    case '16.01':
      return { name: 'Polres Ogan Komering Ulu', short: 'POLRES OKU' };
    case '16.08':
      return { name: 'Polres OKU Timur', short: 'POLRES OKU TIMUR' };
    case '16.09':
      return { name: 'Polres OKU Selatan', short: 'POLRES OKU SELATAN' };
    case '16.71':
      return { name: 'Polrestabes Palembang', short: 'POLRESTABES PALEMBANG' };
    case '31.74':
      return { name: 'Polres Metro Jakarta Selatan', short: 'POLRES METRO JAKSEL' };
    case '21.71':
      return { name: 'Polresta Barelang', short: 'POLRESTA BARELANG' };
    default: {
      const name = shortRegencyName(regency);
      const kind = regency.name.startsWith('Kota') ? 'Polresta' : 'Polres';
      return { name: `${kind} ${name}`, short: `${kind} ${name}`.toUpperCase().replace(/[^A-Z0-9 ]/g, '') };
    }
  }
}

/** The Dukcapil office of a region, and the short code printed in SKTT numbers. */
export function dukcapilFor(places: Places, regionCode: string): { name: string; short: string } {
  const regency = places.regencyOf(regionCode);
  const name = shortRegencyName(regency);
  const kind = regency.name.startsWith('Kabupaten') ? 'Kabupaten' : 'Kota';
  const short = { '16.01': 'OKU', '16.08': 'OKUT', '16.09': 'OKUS' }[regency.code] ?? regency.code.replace('.', '');
  return { name: `Dinas Kependudukan dan Pencatatan Sipil ${kind} ${name}`, short };
}
