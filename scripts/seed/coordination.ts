/**
 * TIMPORA OKU Raya: its 33 member institutions, the coordination meeting of 25 September 2024
 * in Baturaja (from the news report in shared/seed-article.txt) and joint field operations.
 * Institution names are the real offices of the three regencies; every record about them
 * here is demo data.
 */
import type {
  AgencyDoc,
  CoordinationMeetingDoc,
  JointOperationDoc,
} from '../../subgraphs/immigration/src/models/coordination.js';
import { utcDate } from './dates.js';

const OKU = '16.01';
const OKUT = '16.08';
const OKUS = '16.09';
const SUMSEL = '16';

/** The member institutions of TIMPORA OKU Raya (exactly 33). */
export const AGENCIES: readonly AgencyDoc[] = [
  // immigration: the chair (regional office) and the immigration office serving OKU Raya
  {
    _id: 'KANWIL-KEMENKUMHAM-SUMSEL',
    name: 'Kantor Wilayah Kementerian Hukum dan HAM Sumatera Selatan, Divisi Keimigrasian',
    type: 'IMMIGRATION',
    regionCode: SUMSEL,
  },
  { _id: 'KANIM-BATURAJA', name: 'Kantor Imigrasi Kelas II Non TPI Baturaja', type: 'IMMIGRATION', regionCode: OKU },
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

if (AGENCIES.length !== 33) throw new Error(`TIMPORA OKU Raya has 33 members, the seed lists ${AGENCIES.length}`);

export const MEETING_CHAIR = 'KANWIL-KEMENKUMHAM-SUMSEL';

/** Agencies by short code, for texts that name them. */
export function agencyName(code: string): string {
  const agency = AGENCIES.find((a) => a._id === code);
  if (!agency) throw new Error(`unknown seed agency ${code}`);
  return agency.name;
}

export const COORDINATION_MEETINGS: readonly CoordinationMeetingDoc[] = [
  {
    _id: 'RAKOR-TIMPORA-OKURAYA-2024-09-25',
    title:
      'Rapat Koordinasi Tim Pengawasan Orang Asing (TIMPORA) Dalam Rangka Persiapan Pilkada 2024 Zero Konflik, Aman dan Kondusif',
    heldOn: utcDate(2024, 9, 25),
    venue: 'Baturaja, Kabupaten Ogan Komering Ulu',
    regionCode: OKU,
    chairCode: MEETING_CHAIR,
    attendeeCodes: AGENCIES.map((a) => a._id),
    conclusions: [
      'Chaired by the Head of the Immigration Division of the Kanwil Kemenkumham Sumatera Selatan, the 33 member',
      'institutions of TIMPORA from Ogan Komering Ulu, Ogan Komering Ulu Timur and Ogan Komering Ulu Selatan met in',
      'Baturaja to prepare for the regional elections (Pilkada) of 27 November 2024: zero conflict, safe and orderly.',
      '1. The TIMPORA forum is the channel for communication and coordination between immigration and the member',
      'institutions; members share information on the presence and activities of foreigners in OKU Raya.',
      '2. Supervision of foreigners is tightened ahead of the Pilkada, so that their presence does not become a source',
      'of conflict and foreigners take no part in political activity or campaigns.',
      '3. Members act early on issues arising from the presence of foreigners: Dukcapil and the police check that',
      'ITAS/ITAP holders hold a residence certificate (SKTT) and a self-report certificate (SKLD); Disnaker checks',
      'employers against their foreign-worker plans; reports from the public are passed to the immigration office.',
      '4. Joint field checks at plantations, mines, power plants and lodgings are held before the vote.',
    ].join(' '),
  },
];

export const JOINT_OPERATIONS: readonly JointOperationDoc[] = [
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
    foreignersChecked: 214,
    findings:
      'Checks at coal mine, power plant (PLTU) and cement plant sites in OKU and at palm-oil estates in OKU Timur. ' +
      'Most foreign workers held a valid ITAS; several had no SKTT or SKLD and were told to register with Dukcapil ' +
      'and the Polres; two workers employed on a visit stay permit were referred to the immigration office; ' +
      'no political activity by foreigners was found.',
  },
  {
    _id: 'OPS-TIMPORA-OKUS-2024-11',
    name: 'Pengawasan Gabungan Orang Asing di Kawasan Danau Ranau',
    regionCode: OKUS,
    startedOn: utcDate(2024, 11, 18),
    endedOn: utcDate(2024, 11, 20),
    agencyCodes: ['KANIM-BATURAJA', 'POLRES-OKUS', 'KESBANGPOL-OKUS', 'SATPOLPP-OKUS', 'CAMAT-MUARA-DUA'],
    foreignersChecked: 37,
    findings:
      'Lodgings and resorts around Danau Ranau and the geothermal project site were checked ahead of the vote on ' +
      '27 November 2024. Two lodgings had not reported their foreign guests through APOA and were instructed to do so.',
  },
  {
    _id: 'OPS-TIMPORA-OKUT-2025-08',
    name: 'Operasi Pengawasan Tenaga Kerja Asing Perkebunan OKU Timur',
    regionCode: OKUT,
    startedOn: utcDate(2025, 8, 11),
    endedOn: utcDate(2025, 8, 13),
    agencyCodes: ['KANIM-BATURAJA', 'POLRES-OKUT', 'DISNAKER-OKUT', 'DUKCAPIL-OKUT', 'SATPOLPP-OKUT', 'CAMAT-BELITANG'],
    foreignersChecked: 96,
    findings:
      'Palm-oil mills and estates in Buay Madang, Belitang and Martapura were visited. Work permits matched the ' +
      'sponsoring companies except at one mill, where three foreigners worked for a contractor other than their sponsor.',
  },
];
