/**
 * Nationalities of the demo foreigners and how their names, passports and journeys look.
 * The mix follows the work that brings foreigners to OKU Raya: Chinese crews at coal mines,
 * coal power plants (PLTU) and the cement plant; Indian, Malaysian and Korean staff at
 * plantations, mills and contractors; a tail of engineers, consultants, spouses and retirees.
 *
 * Names are written in Latin script as passports (and so immigration records) print them:
 * romanised family-name-first for Chinese, Korean, Japanese and Vietnamese names, given-name
 * first otherwise. Locales without a Latin-script faker locale use the short lists below.
 */
import {
  Faker,
  de,
  en,
  en_AU,
  en_CA,
  en_GB,
  en_IN,
  en_US,
  en_ZA,
  fr,
  it,
  nl,
  tr,
  vi,
  type LocaleDefinition,
} from '@faker-js/faker';
import type { Rng, Weighted } from './random.js';

export type Sex = 'FEMALE' | 'MALE';

/** Checkpoint codes of `subgraphs/immigration/src/checkpoints.ts`, with weights. */
export type Route = Weighted<string>;

export interface Nationality {
  code: string;
  weight: number;
  name(rng: Rng, sex: Sex): string;
  /** A passport number for the unique 7-digit `serial`: 6–9 capital letters and digits. */
  passport(rng: Rng, serial: string): string;
  route: Route;
}

const fakers = new Map<string, Faker>();

function localeFaker(key: string, locale: LocaleDefinition): Faker {
  let f = fakers.get(key);
  if (!f) {
    f = new Faker({ locale: [locale, en] });
    fakers.set(key, f);
  }
  return f;
}

/** Strips diacritics (Vietnamese, Turkish, German…) the way machine-readable passports do not need. */
function latin(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/Đ/g, 'D')
    .replace(/đ/g, 'd')
    .replace(/ı/g, 'i')
    .replace(/ß/g, 'ss');
}

/** Given name and family name from a faker locale, seeded from the foreigner's generator. */
function fakerName(key: string, locale: LocaleDefinition, familyFirst = false) {
  return (rng: Rng, sex: Sex): string => {
    const f = localeFaker(key, locale);
    f.seed(rng.seed());
    const s = sex === 'MALE' ? 'male' : 'female';
    const given = f.person.firstName(s);
    const family = f.person.lastName(s);
    return latin(familyFirst ? `${family} ${given}` : `${given} ${family}`);
  };
}

function listName(family: readonly string[], male: readonly string[], female: readonly string[], familyFirst: boolean) {
  return (rng: Rng, sex: Sex): string => {
    const given = rng.pick(sex === 'MALE' ? male : female);
    const fam = rng.pick(family);
    return familyFirst ? `${fam} ${given}` : `${given} ${fam}`;
  };
}

// --- romanised name lists -------------------------------------------------------------

// prettier-ignore
const CHINESE_FAMILY = [
  'Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu',
  'Hu', 'Guo', 'He', 'Lin', 'Gao', 'Luo', 'Zheng', 'Liang', 'Xie', 'Song', 'Tang', 'Han', 'Feng', 'Deng',
  'Cao', 'Peng', 'Zeng', 'Xiao', 'Tian', 'Dong', 'Pan', 'Yuan', 'Cai', 'Jiang', 'Yu', 'Du', 'Ye', 'Cheng',
  'Wei', 'Su', 'Lyu', 'Ding', 'Ren', 'Shen', 'Yao', 'Lu', 'Cui', 'Zhong', 'Tan', 'Fan', 'Jin', 'Shi', 'Liao',
  'Jia', 'Xia', 'Fu', 'Fang', 'Bai', 'Zou', 'Meng', 'Xiong', 'Qin', 'Qiu', 'Yin', 'Xue', 'Yan', 'Duan',
  'Lei', 'Hou', 'Long', 'Tao', 'Gu', 'Mao', 'Hao', 'Gong', 'Shao', 'Wan', 'Qian', 'Dai',
];
// prettier-ignore
const CHINESE_MALE = [
  'Wei', 'Qiang', 'Lei', 'Jun', 'Yong', 'Jie', 'Tao', 'Ming', 'Chao', 'Hui', 'Hao', 'Peng', 'Bo', 'Gang',
  'Jian', 'Ping', 'Feng', 'Bin', 'Long', 'Xin', 'Hai', 'Liang', 'Dong', 'Kai', 'Zhiqiang', 'Jianguo',
  'Guoqiang', 'Haitao', 'Xiaodong', 'Jianhua', 'Zhiwei', 'Wenjun', 'Yongqiang', 'Chunlin', 'Guohua',
  'Jianjun', 'Xiaolong', 'Haibo', 'Zhigang', 'Dawei', 'Yuhang', 'Zihao', 'Junjie', 'Tianyu', 'Hongwei',
  'Weidong', 'Xiaoming', 'Shuai', 'Yang', 'Fei', 'Ning', 'Rui', 'Kang', 'Wenbin', 'Zhenhua', 'Guangming',
];
// prettier-ignore
const CHINESE_FEMALE = [
  'Fang', 'Min', 'Jing', 'Li', 'Yan', 'Na', 'Xiuying', 'Juan', 'Ying', 'Hua', 'Lan', 'Mei', 'Ling', 'Xia',
  'Hong', 'Qing', 'Yun', 'Ting', 'Xue', 'Lijuan', 'Xiaoyan', 'Yuying', 'Guilan', 'Shuzhen', 'Haiyan',
  'Chunmei', 'Xiaohong', 'Jingjing', 'Yuting', 'Xinyi', 'Meiling', 'Lihua', 'Yanping', 'Wenjing', 'Jiayi',
];

// prettier-ignore
const TAIWANESE_FAMILY = [
  'Chen', 'Lin', 'Huang', 'Chang', 'Li', 'Wang', 'Wu', 'Liu', 'Tsai', 'Yang', 'Hsu', 'Cheng', 'Hsieh',
  'Kuo', 'Hung', 'Tseng', 'Chiu', 'Liao', 'Lai', 'Chou', 'Chiang', 'Su', 'Lu', 'Yeh', 'Chuang',
];
// prettier-ignore
const TAIWANESE_MALE = [
  'Chih-Hao', 'Wei-Lun', 'Chien-Hung', 'Cheng-Han', 'Yu-Cheng', 'Chun-Chieh', 'Kuan-Ting', 'Po-Wei',
  'Tsung-Han', 'Ming-Hsun', 'Chia-Hao', 'Yi-Hsiang', 'Wen-Chieh', 'Shih-Chang',
];
// prettier-ignore
const TAIWANESE_FEMALE = [
  'Yu-Ting', 'Shu-Fen', 'Chia-Hui', 'Mei-Ling', 'Hsiao-Wen', 'Pei-Shan', 'Ya-Ting', 'Hui-Chen', 'Yi-Chun',
  'Shu-Hui', 'Li-Hua', 'Ching-Yi',
];

// prettier-ignore
const KOREAN_FAMILY = [
  'Kim', 'Kim', 'Kim', 'Lee', 'Lee', 'Park', 'Park', 'Choi', 'Jung', 'Kang', 'Cho', 'Yoon', 'Jang', 'Lim',
  'Han', 'Oh', 'Seo', 'Shin', 'Kwon', 'Hwang', 'Ahn', 'Song', 'Jeon', 'Hong', 'Yoo', 'Ko', 'Moon', 'Yang',
];
// prettier-ignore
const KOREAN_MALE = [
  'Min-jun', 'Ji-hoon', 'Hyun-woo', 'Jae-won', 'Sung-min', 'Dong-hyun', 'Sang-woo', 'Young-ho', 'Jin-woo',
  'Seung-hyun', 'Jong-su', 'Tae-yang', 'Kyung-soo', 'Byung-chul', 'Joon-young', 'Sang-hoon', 'Woo-jin',
  'Dae-ho', 'In-soo', 'Chang-min',
];
// prettier-ignore
const KOREAN_FEMALE = [
  'Seo-yeon', 'Ji-woo', 'Min-ji', 'Eun-ji', 'Soo-jin', 'Hye-jin', 'Yu-na', 'Ji-young', 'Mi-kyung',
  'Eun-young', 'Su-bin', 'Hae-won',
];

// prettier-ignore
const JAPANESE_FAMILY = [
  'Sato', 'Suzuki', 'Takahashi', 'Tanaka', 'Watanabe', 'Ito', 'Yamamoto', 'Nakamura', 'Kobayashi', 'Kato',
  'Yoshida', 'Yamada', 'Sasaki', 'Yamaguchi', 'Matsumoto', 'Inoue', 'Kimura', 'Hayashi', 'Shimizu', 'Saito',
  'Mori', 'Ikeda', 'Hashimoto', 'Ishikawa', 'Ogawa', 'Fujita', 'Okada', 'Goto', 'Hasegawa', 'Murakami',
];
// prettier-ignore
const JAPANESE_MALE = [
  'Hiroshi', 'Takashi', 'Kenji', 'Daisuke', 'Takuya', 'Kazuki', 'Yuki', 'Satoshi', 'Makoto', 'Shota', 'Ryo',
  'Naoki', 'Tetsuya', 'Masahiro', 'Kenta', 'Yusuke', 'Hideki', 'Koji', 'Shinji', 'Tomoya',
];
// prettier-ignore
const JAPANESE_FEMALE = [
  'Yuko', 'Akiko', 'Keiko', 'Yumi', 'Naoko', 'Mai', 'Ayumi', 'Haruka', 'Tomoko', 'Megumi', 'Sachiko', 'Emi',
];

// prettier-ignore
const THAI_FAMILY = [
  'Saetang', 'Srisuk', 'Wongsawat', 'Chaiyaporn', 'Kaewmanee', 'Boonmee', 'Thongdee', 'Rattanakorn',
  'Sukprasert', 'Jitpakdee', 'Phromphan', 'Suwannarat', 'Intharasuk', 'Chanthawong', 'Siriwan',
];
// prettier-ignore
const THAI_MALE = [
  'Somchai', 'Somsak', 'Prasert', 'Anan', 'Wichai', 'Kittisak', 'Nattapong', 'Thanakorn', 'Surachai',
  'Chatchai', 'Apichat', 'Sompong',
];
const THAI_FEMALE = ['Siriporn', 'Malee', 'Pranee', 'Kanokwan', 'Sunisa', 'Wanida', 'Nattaya', 'Ratana', 'Pimchanok'];

// prettier-ignore
const MALAY_MALE = [
  'Ahmad', 'Muhammad', 'Mohd Faizal', 'Azman', 'Hafiz', 'Zulkifli', 'Rosli', 'Kamarul', 'Amirul', 'Syafiq',
  'Khairul', 'Hasnul', 'Aiman', 'Razak', 'Iskandar', 'Shahrul',
];
const MALAY_FEMALE = ['Nur Aisyah', 'Siti Aminah', 'Farah', 'Nurul Huda', 'Aishah', 'Norazlina', 'Hafizah', 'Zarina'];
// prettier-ignore
const MALAY_FATHER = [
  'Ismail', 'Abdullah', 'Hassan', 'Yusof', 'Ibrahim', 'Osman', 'Rahman', 'Omar', 'Hamid', 'Salleh', 'Ali',
  'Jaafar', 'Mansor', 'Aziz',
];
const MALAYSIAN_CHINESE_FAMILY = [
  'Tan',
  'Lim',
  'Lee',
  'Ng',
  'Wong',
  'Chan',
  'Ong',
  'Goh',
  'Teo',
  'Chong',
  'Yap',
  'Low',
  'Koh',
  'Chua',
];
// prettier-ignore
const MALAYSIAN_CHINESE_MALE = [
  'Wei Ming', 'Kok Leong', 'Chee Keong', 'Boon Hock', 'Kah Wai', 'Jun Hao', 'Yong Sheng', 'Chin Hong',
  'Wai Kit', 'Seng Huat', 'Eng Soon', 'Kian Meng',
];
const MALAYSIAN_CHINESE_FEMALE = [
  'Mei Ling',
  'Siew Lan',
  'Hui Min',
  'Pei Yee',
  'Li Ying',
  'Xin Yi',
  'Swee Lin',
  'Ai Ling',
];

// prettier-ignore
const FILIPINO_FAMILY = [
  'Santos', 'Reyes', 'Cruz', 'Bautista', 'Ocampo', 'Garcia', 'Mendoza', 'Torres', 'Tomas', 'Andrada',
  'Castillo', 'Flores', 'Villanueva', 'Ramos', 'Castro', 'Rivera', 'Aquino', 'Navarro', 'Salazar',
  'Mercado', 'Dela Cruz', 'Gonzales', 'Lopez', 'Dizon', 'Manalo', 'Pascual', 'Soriano', 'Valdez',
];
// prettier-ignore
const FILIPINO_MALE = [
  'Jose', 'Juan', 'Mark Anthony', 'John Paul', 'Rodel', 'Jerome', 'Ramil', 'Jonathan', 'Arnel', 'Rommel',
  'Christian', 'Ronaldo', 'Joel', 'Reynaldo', 'Edgardo', 'Michael',
];
const FILIPINO_FEMALE = [
  'Maria',
  'Ma. Cristina',
  'Rowena',
  'Jocelyn',
  'Marilou',
  'Rhea',
  'Angelica',
  'Kristine',
  'Lorna',
];

const malayName = (rng: Rng, sex: Sex): string =>
  sex === 'MALE'
    ? `${rng.pick(MALAY_MALE)} bin ${rng.pick(MALAY_FATHER)}`
    : `${rng.pick(MALAY_FEMALE)} binti ${rng.pick(MALAY_FATHER)}`;
const malaysianChineseName = listName(MALAYSIAN_CHINESE_FAMILY, MALAYSIAN_CHINESE_MALE, MALAYSIAN_CHINESE_FEMALE, true);
const indianName = fakerName('en_IN', en_IN);

const malaysianName = (rng: Rng, sex: Sex): string => {
  const x = rng.next();
  if (x < 0.5) return malayName(rng, sex);
  if (x < 0.85) return malaysianChineseName(rng, sex);
  return indianName(rng, sex);
};

// --- passports ---------------------------------------------------------------------------

const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const letter = (rng: Rng) => rng.pick([...LETTERS]);
const digit = (rng: Rng) => String(rng.int(0, 9));

/** `prefix + serial (+ suffix)`: unique across foreigners because the serial is. */
const passportWith =
  (prefix: (rng: Rng) => string, suffix: (rng: Rng) => string = () => '') =>
  (rng: Rng, serial: string) =>
    `${prefix(rng)}${serial}${suffix(rng)}`;

// --- journeys -----------------------------------------------------------------------------

const ROUTE_DEFAULT: Route = [
  ['CGK', 55],
  ['PLM', 22],
  ['DPS', 8],
  ['KNO', 5],
  ['BTH', 4],
  ['SUB', 4],
  ['BTC', 2],
];
const ROUTE_CHINA: Route = [
  ['CGK', 52],
  ['PLM', 26],
  ['SUB', 6],
  ['KNO', 5],
  ['BTH', 4],
  ['BTC', 3],
  ['DPS', 2],
];
const ROUTE_NEAR: Route = [
  ['PLM', 44],
  ['CGK', 16],
  ['BTC', 15],
  ['KNO', 12],
  ['BTH', 6],
  ['DUM', 4],
  ['ETK', 1],
  ['UPG', 1],
];
const ROUTE_SINGAPORE: Route = [
  ['BTC', 38],
  ['PLM', 30],
  ['CGK', 22],
  ['BTH', 8],
  ['DPS', 2],
];
const ROUTE_AUSTRALIA: Route = [
  ['CGK', 45],
  ['DPS', 33],
  ['PLM', 15],
  ['BTH', 4],
  ['KNO', 3],
];

export const NATIONALITIES: readonly Nationality[] = [
  {
    code: 'CHN',
    weight: 480,
    name: listName(CHINESE_FAMILY, CHINESE_MALE, CHINESE_FEMALE, true),
    // e-passports: E + 8 digits, or E + letter + 7 digits
    passport: passportWith((rng) => (rng.chance(0.5) ? `E${digit(rng)}` : `E${letter(rng)}`)),
    route: ROUTE_CHINA,
  },
  {
    code: 'IND',
    weight: 110,
    name: indianName,
    passport: passportWith(letter),
    route: ROUTE_DEFAULT,
  },
  {
    code: 'MYS',
    weight: 85,
    name: malaysianName,
    passport: passportWith((rng) => rng.pick(['A', 'H', 'K']), digit),
    route: ROUTE_NEAR,
  },
  {
    code: 'KOR',
    weight: 60,
    name: listName(KOREAN_FAMILY, KOREAN_MALE, KOREAN_FEMALE, true),
    passport: passportWith((rng) => rng.pick(['M', 'M', 'S']), digit),
    route: ROUTE_DEFAULT,
  },
  {
    code: 'PHL',
    weight: 50,
    name: (rng, sex) => `${rng.pick(sex === 'MALE' ? FILIPINO_MALE : FILIPINO_FEMALE)} ${rng.pick(FILIPINO_FAMILY)}`,
    passport: passportWith(() => 'P', letter),
    route: ROUTE_NEAR,
  },
  {
    code: 'VNM',
    weight: 40,
    name: fakerName('vi', vi, true),
    passport: passportWith((rng) => rng.pick(['C', 'N'])),
    route: ROUTE_NEAR,
  },
  {
    code: 'JPN',
    weight: 35,
    name: listName(JAPANESE_FAMILY, JAPANESE_MALE, JAPANESE_FEMALE, true),
    passport: passportWith((rng) => rng.pick(['TK', 'TR', 'MZ', 'TZ'])),
    route: ROUTE_DEFAULT,
  },
  {
    code: 'AUS',
    weight: 30,
    name: fakerName('en_AU', en_AU),
    passport: passportWith((rng) => rng.pick(['PA', 'PB', 'PE', 'RA'])),
    route: ROUTE_AUSTRALIA,
  },
  {
    code: 'GBR',
    weight: 14,
    name: fakerName('en_GB', en_GB),
    passport: passportWith(() => '5', digit),
    route: ROUTE_DEFAULT,
  },
  {
    code: 'USA',
    weight: 12,
    name: fakerName('en_US', en_US),
    passport: passportWith(() => 'A', digit),
    route: ROUTE_DEFAULT,
  },
  {
    code: 'NLD',
    weight: 10,
    name: fakerName('nl', nl),
    passport: passportWith((rng) => `N${letter(rng)}`),
    route: ROUTE_DEFAULT,
  },
  {
    code: 'DEU',
    weight: 10,
    name: fakerName('de', de),
    passport: passportWith((rng) => `C${letter(rng)}`),
    route: ROUTE_DEFAULT,
  },
  {
    code: 'THA',
    weight: 12,
    name: listName(THAI_FAMILY, THAI_MALE, THAI_FEMALE, false),
    passport: passportWith((rng) => `A${letter(rng)}`),
    route: ROUTE_NEAR,
  },
  {
    code: 'TWN',
    weight: 12,
    name: listName(TAIWANESE_FAMILY, TAIWANESE_MALE, TAIWANESE_FEMALE, true),
    passport: passportWith(() => '3', digit),
    route: ROUTE_DEFAULT,
  },
  {
    code: 'SGP',
    weight: 12,
    name: malaysianChineseName,
    passport: passportWith(() => 'K', letter),
    route: ROUTE_SINGAPORE,
  },
  {
    code: 'FRA',
    weight: 5,
    name: fakerName('fr', fr),
    passport: passportWith((rng) => `${digit(rng)}${letter(rng)}`),
    route: ROUTE_DEFAULT,
  },
  { code: 'CAN', weight: 4, name: fakerName('en_CA', en_CA), passport: passportWith(() => 'G'), route: ROUTE_DEFAULT },
  { code: 'TUR', weight: 4, name: fakerName('tr', tr), passport: passportWith(() => 'U'), route: ROUTE_DEFAULT },
  {
    code: 'ITA',
    weight: 3,
    name: fakerName('it', it),
    passport: passportWith((rng) => `Y${letter(rng)}`),
    route: ROUTE_DEFAULT,
  },
  { code: 'ZAF', weight: 3, name: fakerName('en_ZA', en_ZA), passport: passportWith(() => 'M'), route: ROUTE_DEFAULT },
];

export function nationality(code: string): Nationality {
  const n = NATIONALITIES.find((x) => x.code === code);
  if (!n) throw new Error(`unknown seed nationality ${code}`);
  return n;
}

/** Airlines and ferry operators by checkpoint; the first list entry wins for the home carrier. */
const CARRIERS: Record<string, readonly string[]> = {
  CGK: [
    'Garuda Indonesia',
    'Singapore Airlines',
    'Cathay Pacific',
    'Emirates',
    'Qatar Airways',
    'Turkish Airlines',
    'KLM',
  ],
  PLM: ['AirAsia', 'Batik Air Malaysia', 'Scoot'],
  DPS: ['Garuda Indonesia', 'Jetstar', 'Virgin Australia', 'Qantas', 'Singapore Airlines'],
  KNO: ['AirAsia', 'Malaysia Airlines', 'Scoot', 'Singapore Airlines'],
  SUB: ['Singapore Airlines', 'Scoot', 'AirAsia'],
  BTH: ['AirAsia', 'Batik Air Malaysia'],
  UPG: ['AirAsia'],
  BTC: ['Batam Fast', 'Majestic Fast Ferry', 'Sindo Ferry'],
  BOM: ['MV Sumatra Express (ship crew)', 'MV Musi Pioneer (ship crew)'],
  TPK: ['MV Priok Star (ship crew)', 'MV Java Bridge (ship crew)'],
  DUM: ['Indomal Express', 'Dumai Line'],
  ETK: [],
};

const HOME_AIRLINES: Record<string, readonly string[]> = {
  CHN: ['China Southern Airlines', 'China Eastern Airlines', 'Air China', 'Xiamen Airlines'],
  KOR: ['Korean Air', 'Asiana Airlines'],
  JPN: ['Japan Airlines', 'All Nippon Airways'],
  IND: ['IndiGo', 'Air India'],
  AUS: ['Qantas'],
  TWN: ['China Airlines', 'EVA Air'],
  VNM: ['Vietnam Airlines', 'VietJet Air'],
  PHL: ['Philippine Airlines', 'Cebu Pacific'],
  THA: ['Thai Airways', 'Thai Lion Air'],
};

/** The carrier of a crossing: a home airline at the big airports, a local carrier elsewhere. */
export function carrierFor(rng: Rng, checkpoint: string, nationalityCode: string): string | null {
  if (checkpoint === 'ETK') return null;
  const home = HOME_AIRLINES[nationalityCode];
  if (home && (checkpoint === 'CGK' || checkpoint === 'DPS' || checkpoint === 'SUB') && rng.chance(0.6)) {
    return rng.pick(home);
  }
  return rng.pick(CARRIERS[checkpoint] ?? ['Garuda Indonesia']);
}
