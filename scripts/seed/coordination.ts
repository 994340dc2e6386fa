/**
 * TIMPORA OKU Raya: its member institutions, the coordination meeting of 25 September 2024 in
 * Baturaja (from the news report in shared/seed-article.txt, 33 institutions) and the joint
 * operations of 2024–2025 named in the record; `history.ts` writes the later meetings and
 * operations from the data. Institution names are the real offices of the three regencies;
 * every record about them here is demo data.
 */
import type {
  AgencyDoc,
  CoordinationMeetingDoc,
  JointOperationDoc,
} from '../../subgraphs/immigration/src/models/coordination.js';
import { utcDate } from './dates.js';
import { OKU_RAYA_IMMIGRATION_OFFICE } from './places.js';

export { OKU_RAYA_IMMIGRATION_OFFICE } from './places.js';

const OKU = '16.01';
const OKUT = '16.08';
const OKUS = '16.09';
const SUMSEL = '16';

/** The three regencies of OKU Raya. */
export const OKU_RAYA_REGENCIES: readonly string[] = [OKU, OKUT, OKUS];

/** The 33 member institutions that met on 25 September 2024. */
const MEMBERS_2024: readonly AgencyDoc[] = [
  // immigration: the chair (regional office) and the immigration office serving OKU Raya (from
  // its work unit in Baturaja, where the TIMPORA OKU Raya secretariat sits)
  {
    _id: 'KANWIL-KEMENKUMHAM-SUMSEL',
    name: 'Kantor Wilayah Kementerian Hukum dan HAM Sumatera Selatan, Divisi Keimigrasian',
    type: 'IMMIGRATION',
    regionCode: SUMSEL,
  },
  { _id: 'KANIM-BATURAJA', name: OKU_RAYA_IMMIGRATION_OFFICE, type: 'IMMIGRATION', regionCode: OKU },
  // police
  {
    _id: 'POLDA-SUMSEL',
    name: 'Direktorat Intelijen Keamanan Polda Sumatera Selatan',
    type: 'POLICE',
    regionCode: SUMSEL,
  },
  { _id: 'POLRES-OKU', name: 'Kepolisian Resor Ogan Komering Ulu', type: 'POLICE', regionCode: OKU },
  { _id: 'POLRES-OKUT', name: 'Kepolisian Resor Ogan Komering Ulu Timur', type: 'POLICE', regionCode: OKUT },
  { _id: 'POLRES-OKUS', name: 'Kepolisian Resor Ogan Komering Ulu Selatan', type: 'POLICE', regionCode: OKUS },
  // military
  { _id: 'KOREM-044-GAPO', name: 'Komando Resor Militer 044/Garuda Dempo', type: 'MILITARY', regionCode: SUMSEL },
  { _id: 'KODIM-0403-OKU', name: 'Komando Distrik Militer 0403/Ogan Komering Ulu', type: 'MILITARY', regionCode: OKU },
  // prosecutors
  { _id: 'KEJARI-OKU', name: 'Kejaksaan Negeri Ogan Komering Ulu', type: 'PROSECUTOR', regionCode: OKU },
  { _id: 'KEJARI-OKUT', name: 'Kejaksaan Negeri Ogan Komering Ulu Timur', type: 'PROSECUTOR', regionCode: OKUT },
  { _id: 'KEJARI-OKUS', name: 'Kejaksaan Negeri Ogan Komering Ulu Selatan', type: 'PROSECUTOR', regionCode: OKUS },
  // intelligence, narcotics, customs
  {
    _id: 'BIN-SUMSEL',
    name: 'Badan Intelijen Negara Daerah Sumatera Selatan',
    type: 'INTELLIGENCE',
    regionCode: SUMSEL,
  },
  { _id: 'BNNK-OKU', name: 'Badan Narkotika Nasional Kabupaten Ogan Komering Ulu', type: 'NARCOTICS', regionCode: OKU },
  {
    _id: 'BEACUKAI-PALEMBANG',
    name: 'Kantor Pengawasan dan Pelayanan Bea dan Cukai Tipe Madya Pabean B Palembang',
    type: 'CUSTOMS',
    regionCode: SUMSEL,
  },
  // local government of each regency
  ...(
    [
      [OKU, 'OKU', 'Ogan Komering Ulu'],
      [OKUT, 'OKUT', 'Ogan Komering Ulu Timur'],
      [OKUS, 'OKUS', 'Ogan Komering Ulu Selatan'],
    ] as const
  ).flatMap(([regionCode, short, name]): AgencyDoc[] => [
    {
      _id: `KESBANGPOL-${short}`,
      name: `Badan Kesatuan Bangsa dan Politik Kabupaten ${name}`,
      type: 'LOCAL_GOVERNMENT',
      regionCode,
    },
    {
      _id: `DUKCAPIL-${short}`,
      name: `Dinas Kependudukan dan Pencatatan Sipil Kabupaten ${name}`,
      type: 'LOCAL_GOVERNMENT',
      regionCode,
    },
    {
      _id: `DISNAKER-${short}`,
      name: `Dinas Tenaga Kerja dan Transmigrasi Kabupaten ${name}`,
      type: 'LOCAL_GOVERNMENT',
      regionCode,
    },
    {
      _id: `SATPOLPP-${short}`,
      name: `Satuan Polisi Pamong Praja Kabupaten ${name}`,
      type: 'LOCAL_GOVERNMENT',
      regionCode,
    },
  ]),
  {
    _id: 'DPMPTSP-OKU',
    name: 'Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Ogan Komering Ulu',
    type: 'LOCAL_GOVERNMENT',
    regionCode: OKU,
  },
  // district heads (camat) of the regency seats and the districts with most foreign workers
  { _id: 'CAMAT-BATURAJA-TIMUR', name: 'Kecamatan Baturaja Timur', type: 'LOCAL_GOVERNMENT', regionCode: '16.01.14' },
  { _id: 'CAMAT-BATURAJA-BARAT', name: 'Kecamatan Baturaja Barat', type: 'LOCAL_GOVERNMENT', regionCode: '16.01.13' },
  { _id: 'CAMAT-PENINJAUAN', name: 'Kecamatan Peninjauan', type: 'LOCAL_GOVERNMENT', regionCode: '16.01.09' },
  { _id: 'CAMAT-MARTAPURA', name: 'Kecamatan Martapura', type: 'LOCAL_GOVERNMENT', regionCode: '16.08.01' },
  { _id: 'CAMAT-BELITANG', name: 'Kecamatan Belitang', type: 'LOCAL_GOVERNMENT', regionCode: '16.08.03' },
  { _id: 'CAMAT-MUARA-DUA', name: 'Kecamatan Muara Dua', type: 'LOCAL_GOVERNMENT', regionCode: '16.09.01' },
];

if (MEMBERS_2024.length !== 33) throw new Error(`33 institutions met in 2024, the seed lists ${MEMBERS_2024.length}`);

/**
 * The member institutions of TIMPORA OKU Raya: the 33 of 2024, and the members TIMPORA
 * has where the region has them, who joined from the December 2024 meeting: the Kemenag
 * office of each regency, the provincial labour inspectors and the tourism office of OKU
 * Selatan (Danau Ranau).
 */
export const AGENCIES: readonly AgencyDoc[] = [
  ...MEMBERS_2024,
  ...(
    [
      [OKU, 'OKU', 'Ogan Komering Ulu'],
      [OKUT, 'OKUT', 'Ogan Komering Ulu Timur'],
      [OKUS, 'OKUS', 'Ogan Komering Ulu Selatan'],
    ] as const
  ).map(([regionCode, short, name]): AgencyDoc => ({
    _id: `KEMENAG-${short}`,
    name: `Kantor Kementerian Agama Kabupaten ${name}`,
    type: 'RELIGIOUS_AFFAIRS',
    regionCode,
  })),
  {
    _id: 'DISNAKERTRANS-SUMSEL',
    name: 'Bidang Pengawasan Ketenagakerjaan, Dinas Tenaga Kerja dan Transmigrasi Provinsi Sumatera Selatan',
    type: 'MANPOWER',
    regionCode: SUMSEL,
  },
  {
    _id: 'DISPAR-OKUS',
    name: 'Dinas Pariwisata Kabupaten Ogan Komering Ulu Selatan',
    type: 'TOURISM',
    regionCode: OKUS,
  },
];

export const MEETING_CHAIR = 'KANWIL-KEMENKUMHAM-SUMSEL';
/** The TIMPORA OKU Raya secretariat, which chairs the quarterly meetings. */
export const SECRETARIAT = 'KANIM-BATURAJA';

/** Agencies by short code, for texts that name them. */
export function agencyName(code: string): string {
  const agency = AGENCIES.find((a) => a._id === code);
  if (!agency) throw new Error(`unknown seed agency ${code}`);
  return agency.name;
}

/**
 * The meeting of 25 September 2024, as the news report tells it. Its region is the one of every
 * OKU Raya meeting: Kabupaten Ogan Komering Ulu, where the secretariat sits (the venue rotates).
 */
export const FIRST_MEETING: CoordinationMeetingDoc = {
  _id: 'RAKOR-TIMPORA-OKURAYA-2024-09-25',
  title:
    'Rapat Koordinasi Tim Pengawasan Orang Asing (TIMPORA) Dalam Rangka Persiapan Pilkada 2024 Zero Konflik, Aman dan Kondusif',
  heldOn: utcDate(2024, 9, 25),
  venue: 'Baturaja, Kabupaten Ogan Komering Ulu',
  regionCode: OKU,
  chairCode: MEETING_CHAIR,
  attendeeCodes: MEMBERS_2024.map((a) => a._id),
  conclusions: [
    'Rapat dipimpin oleh Kepala Divisi Keimigrasian Kantor Wilayah Kementerian Hukum dan HAM Sumatera Selatan dan',
    'dihadiri 33 instansi anggota TIMPORA dari Kabupaten Ogan Komering Ulu, Ogan Komering Ulu Timur dan Ogan Komering',
    'Ulu Selatan, dalam rangka persiapan Pilkada 27 November 2024 yang zero konflik, aman dan kondusif.',
    '\n1. Forum TIMPORA menjadi wadah komunikasi dan koordinasi antara Imigrasi dan instansi anggota; anggota saling',
    'bertukar informasi tentang keberadaan dan kegiatan orang asing di wilayah OKU Raya.',
    '\n2. Pengawasan orang asing diperketat menjelang Pilkada agar keberadaan orang asing tidak menjadi sumber konflik',
    'dan tidak ada orang asing yang terlibat dalam kegiatan politik maupun kampanye.',
    '\n3. Anggota bertindak dini atas isu yang timbul dari keberadaan orang asing: Dinas Dukcapil dan Polres memastikan',
    'pemegang ITAS/ITAP memiliki SKTT dan SKLD; Disnaker mencocokkan pemberi kerja dengan RPTKA; laporan masyarakat',
    'diteruskan kepada Kantor Imigrasi.',
    '\n4. Pemeriksaan lapangan gabungan di perkebunan, tambang, pembangkit listrik dan penginapan dilaksanakan sebelum',
    'hari pemungutan suara.',
  ]
    .join(' ')
    .replace(/ \n/g, '\n'),
};

/** Operations of 2024–2025 named in the record, with the districts they visited. */
export const LEGACY_OPERATIONS: readonly (Omit<JointOperationDoc, 'foreignersChecked' | 'findings' | 'endedOn'> & {
  endedOn: Date;
  districts: readonly string[];
})[] = [
  {
    _id: 'OPS-TIMPORA-OKURAYA-2024-10',
    name: 'Operasi Gabungan TIMPORA OKU Raya menjelang Pilkada 2024',
    regionCode: OKU,
    startedOn: utcDate(2024, 10, 14),
    endedOn: utcDate(2024, 10, 18),
    agencyCodes: [
      'KANIM-BATURAJA',
      'POLRES-OKU',
      'POLRES-OKUT',
      'POLRES-OKUS',
      'KODIM-0403-OKU',
      'KESBANGPOL-OKU',
      'DISNAKER-OKU',
      'DISNAKER-OKUT',
      'SATPOLPP-OKU',
      'DUKCAPIL-OKU',
    ],
    // the PLTU, the cement plant and the coal mine
    districts: ['16.01.07', '16.01.14', '16.01.21'],
  },
  {
    _id: 'OPS-TIMPORA-OKUS-2024-11',
    name: 'Pengawasan Gabungan Orang Asing di Kawasan Danau Ranau',
    regionCode: OKUS,
    startedOn: utcDate(2024, 11, 18),
    endedOn: utcDate(2024, 11, 20),
    agencyCodes: ['KANIM-BATURAJA', 'POLRES-OKUS', 'KESBANGPOL-OKUS', 'SATPOLPP-OKUS', 'CAMAT-MUARA-DUA'],
    districts: ['16.09.03'],
  },
  {
    _id: 'OPS-TIMPORA-OKUT-2025-08',
    name: 'Operasi Pengawasan Tenaga Kerja Asing Perkebunan OKU Timur',
    regionCode: OKUT,
    startedOn: utcDate(2025, 8, 11),
    endedOn: utcDate(2025, 8, 13),
    agencyCodes: ['KANIM-BATURAJA', 'POLRES-OKUT', 'DISNAKER-OKUT', 'DUKCAPIL-OKUT', 'SATPOLPP-OKUT', 'CAMAT-BELITANG'],
    districts: ['16.08.02', '16.08.03', '16.08.01'],
  },
];
