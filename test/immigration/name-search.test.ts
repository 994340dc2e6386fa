/**
 * Name search narrows by the name's trigrams (`nameTrigrams`, common/name-trigrams.ts) and
 * answers exactly what the case-insensitive regex alone answers: the same foreigners, order,
 * `totalCount` and pages, on adversarial names, through the real immigration subgraph on a real
 * FerretDB. Names renamed and foreigners written before the trigrams existed are found too.
 */
import type { mongo } from 'mongoose';
import { nameContainsCondition, nameFields, nameTrigrams } from '../../common/name-trigrams.js';
import { immigrationData } from '../../subgraphs/immigration/src/data.js';
import { immigrationSubgraph } from '../../subgraphs/immigration/src/index.js';
import { NAME_TRIGRAMS_MIGRATION, type ForeignerModels } from '../../subgraphs/immigration/src/models/foreigner.js';
import { backfillNameTrigrams } from '../../subgraphs/immigration/src/services/foreigner-migrations.js';
import { expectNoErrors, graphql, IMMIGRATION_OKU, tokenFor } from '../helpers/graphql.js';
import { startTestSubgraph, type TestSubgraph } from '../helpers/subgraph.js';

let subgraph: TestSubgraph;
let token: string;
/** The `find` filters the subgraph sent to the foreigners collection, in order. */
const finds: Record<string, unknown>[] = [];

const NAMES = [
  'Wang Lei',
  'WANG XIAOMING',
  'Huang Wangwei',
  '\u212Aevin Strauss', // KELVIN SIGN: matches k and K
  'Hanſ Gruber', // LATIN SMALL LETTER LONG S: matches s and S
  'José Álvarez',
  'JOSE ALVAREZ',
  '\u212Bsa Ångström', // ANGSTROM SIGN: matches å and Å
  'Straße Müller',
  'Σίσυφος Παπαδόπουλος', // final sigma, in σ's orbit
  'ΣΙΣΥΦΟΣ',
  'İsmail Yılmaz',
  '王小明',
  '王小',
  '김민준',
  'Nguyễn Văn An',
  "Seán O'Brien",
  'Anne-Marie Dubois',
  'Dr. A.B. (Test) *Star*',
  'Mary  Ann Double-Space',
  'Zoë Ab\u0301c', // a combining acute accent
  '𠀀𠀁𠀂 Astral', // CJK Extension B, outside the BMP
];

const FRAGMENTS = [
  'wang',
  'WANG',
  'wa', // two characters: the regex alone
  'ang',
  'g l', // spans a space
  'g x',
  'ng x',
  'kev',
  'kevi',
  'KEVIN',
  '\u212Aev',
  '\u212Aevi',
  'hans',
  'HANS',
  'ſtr',
  'ſtra',
  'hanſ',
  'jos',
  'josé',
  'ÁLV',
  'alv',
  'åsa',
  'åsa å',
  'ångs',
  'straße',
  'STRASSE',
  'σίσ',
  'ΣΊΣ',
  'φος',
  'ΦΟΣ',
  'ismail',
  'İsm',
  'yılmaz',
  'YILMAZ',
  '王小',
  '王小明',
  '小明',
  '김민',
  '김민준',
  'nguyễn',
  'NGUYỄN',
  'văn an',
  "o'br",
  "N O'",
  'ne-ma',
  'marie dub',
  'dr.',
  'r.',
  'a.b',
  '(test)',
  '(t',
  '*star*',
  'r*',
  'y  a',
  'ab\u0301c',
  'b\u0301c',
  '𠀁𠀂',
  '𠀀𠀁𠀂 a',
  'zzz',
];

const PAGE = /* GraphQL */ `
  query ($f: ForeignerFilter, $first: Int, $after: String) {
    foreigners(filter: $f, first: $first, after: $after) {
      totalCount
      nodes {
        id
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

interface Page {
  totalCount: number;
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

let passportSeq = 300000;
async function register(fullName: string): Promise<string> {
  passportSeq += 1;
  const input = {
    fullName,
    nationality: 'CHN',
    sex: 'FEMALE',
    dateOfBirth: '1985-04-12',
    passportNumber: `N${passportSeq}`,
    domicileRegionCode: '16.01.14.1001',
  };
  const data = expectNoErrors(
    await graphql(
      subgraph.url,
      `
        mutation ($input: RegisterForeignerInput!) {
          registerForeigner(input: $input) {
            foreigner {
              id
            }
          }
        }
      `,
      { token, variables: { input } },
    ),
  );
  return data.registerForeigner.foreigner.id as string;
}

async function page(nameContains: string, first: number, after?: string | null): Promise<Page> {
  const data = expectNoErrors(
    await graphql(subgraph.url, PAGE, { token, variables: { f: { nameContains }, first, after } }),
  );
  return data.foreigners as Page;
}

/** Every page of a search, `first` at a time. */
async function allPages(nameContains: string, first: number): Promise<Page[]> {
  const pages = [await page(nameContains, first)];
  while (pages.at(-1)!.pageInfo.hasNextPage)
    pages.push(await page(nameContains, first, pages.at(-1)!.pageInfo.endCursor));
  return pages;
}

/** The ids the regex alone finds (what the subgraph sends without trigrams), in `_id` order, read straight from the database. */
async function regexAlone(fragment: string): Promise<string[]> {
  const rows = await subgraph.db.connection
    .collection<{ _id: string }>('foreigners')
    .find(nameContainsCondition(fragment, false))
    .sort({ _id: 1 })
    .toArray();
  return rows.map((r) => r._id);
}

/** Checks a search against the regex alone: ids, order, totalCount and every page's pageInfo. */
async function expectSameAsRegex(fragment: string, first = 2): Promise<string[]> {
  const expected = await regexAlone(fragment);
  const pages = await allPages(fragment, first);
  expect({ fragment, ids: pages.flatMap((p) => p.nodes.map((n) => n.id)) }).toEqual({ fragment, ids: expected });
  for (const [i, p] of pages.entries()) {
    expect({ fragment, totalCount: p.totalCount, hasNextPage: p.pageInfo.hasNextPage }).toEqual({
      fragment,
      totalCount: expected.length,
      hasNextPage: expected.length > (i + 1) * first,
    });
  }
  return expected;
}

/** Whether the last `find` the subgraph sent for `fragment` narrowed by trigrams. */
function narrowedByTrigrams(): boolean {
  const last = finds.at(-1);
  return last !== undefined && JSON.stringify(last).includes('"nameTrigrams"');
}

function foreignerModelsOf(s: TestSubgraph): ForeignerModels {
  return s.db.connection.models as unknown as ForeignerModels;
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(immigrationSubgraph, 'name_search');
  token = await tokenFor({ ...IMMIGRATION_OKU, jurisdiction: ['*'] });
  // the start-up backfill finds nothing to do on a new database; name search narrows once it is recorded
  const migrations = subgraph.db.connection.collection<{ _id: string }>('migrations');
  for (let i = 0; i < 100 && !(await migrations.findOne({ _id: NAME_TRIGRAMS_MIGRATION })); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 50));
  subgraph.db.connection.getClient().on('commandStarted', (event: mongo.CommandStartedEvent) => {
    if (event.commandName === 'find' && event.command.find === 'foreigners') finds.push(event.command.filter);
  });
  for (const name of NAMES) await register(name);
});
afterAll(() => subgraph?.stop());

describe('name search by trigrams', () => {
  it('stores each name with its folded, deduplicated trigrams', async () => {
    const rows = await subgraph.db.connection
      .collection<{ fullName: string; nameTrigrams: string[] }>('foreigners')
      .find({}, { projection: { fullName: 1, nameTrigrams: 1 } })
      .toArray();
    expect(rows).toHaveLength(NAMES.length);
    for (const r of rows) expect(r.nameTrigrams).toEqual(nameTrigrams(r.fullName));
    const kelvin = rows.find((r) => r.fullName.startsWith('\u212A'))!;
    expect(kelvin.nameTrigrams.slice(0, 2)).toEqual(['kev', 'evi']);
    expect(rows.find((r) => r.fullName === 'Huang Wangwei')!.nameTrigrams.filter((t) => t === 'ang')).toHaveLength(1);
  });

  it('answers every fragment exactly as the regex alone, page by page', async () => {
    const trigramPath: string[] = [];
    for (const fragment of FRAGMENTS) {
      await expectSameAsRegex(fragment);
      if (narrowedByTrigrams()) trigramPath.push(fragment);
    }
    // the adversarial cases really find what only case folding finds
    expect(await regexAlone('kevin')).toHaveLength(1);
    expect(await regexAlone('hans')).toHaveLength(1);
    expect(await regexAlone('åsa')).toHaveLength(1);
    expect((await regexAlone('σίσ')).length).toBe(1);
    expect((await regexAlone('ΦΟΣ')).length).toBe(2);
    expect(await regexAlone('wang')).toHaveLength(3);
    // and those of four or more plain code points went through the trigrams; the rest did not
    expect(trigramPath).toEqual(FRAGMENTS.filter((f) => [...f].length >= 4 && !['ab\u0301c', '𠀀𠀁𠀂 a'].includes(f)));
  });

  it('finds a renamed foreigner by the new name only; an update of the name alone is refused', async () => {
    const id = await register('Oldname Tanaka');
    const { Foreigner } = foreignerModelsOf(subgraph);
    await expect(Foreigner.updateOne({ _id: id }, { $set: { fullName: 'Newname Sato' } }).exec()).rejects.toThrow(
      /nameTrigrams/,
    );
    await Foreigner.updateOne({ _id: id }, { $set: nameFields('Newname Sato') }).exec();
    expect(await expectSameAsRegex('newname sa')).toEqual([id]);
    expect(narrowedByTrigrams()).toBe(true);
    expect(await expectSameAsRegex('oldname')).toEqual([]);
    expect(await expectSameAsRegex('tanaka')).toEqual([]);
  });

  it('finds a foreigner written before the trigrams once the backfill has run', async () => {
    const legacy = {
      _id: 'LEGACY-NAME-1',
      fullName: 'Legacy Wangsa Putra',
      nationality: 'MYS',
      sex: 'MALE',
      dateOfBirth: new Date('1980-01-01T00:00:00Z'),
      passportNumber: 'LGN000001',
      domicileRegionCode: '16.01.14.1001',
      domicileProvince: '16',
      domicileRegency: '16.01',
      domicileDistrict: '16.01.14',
      currentPermit: null,
      lastCrossing: null,
      createdAt: new Date(),
    };
    const collection = subgraph.db.connection.collection('foreigners');
    await collection.insertOne(legacy as never);
    const data = immigrationData(foreignerModelsOf(subgraph));
    expect(await backfillNameTrigrams(data)).toBe(1);
    expect((await collection.findOne({ _id: 'LEGACY-NAME-1' } as never))?.nameTrigrams).toEqual(
      nameTrigrams(legacy.fullName),
    );
    expect(await expectSameAsRegex('wangsa')).toEqual(['LEGACY-NAME-1']);
    expect(narrowedByTrigrams()).toBe(true);
    expect(await expectSameAsRegex('wang')).toContain('LEGACY-NAME-1');
    // idempotent
    expect(await backfillNameTrigrams(data)).toBe(0);
  });
});
