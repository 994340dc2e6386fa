/**
 * The differential test's corpus: adversarial documents, the indexes the hub creates (single
 * field, compound with `_id`, unique), and the operations run on both FerretDB builds. The
 * documents are chosen where a pushed-down SQLite query could disagree with MongoDB's rules:
 * JSON text orders `"a!"` before `"a"` and escapes `<>&` as `\u003c…`, while BSON compares the
 * strings; int, long and double are equal numbers but different JSON; an array matches an
 * equality on any element; an ObjectId is stored as the same hex text as a string.
 */
import mongoose from 'mongoose';
import { nameContainsCondition, nameTrigrams } from '../../common/name-trigrams.js';

const { Binary, BSONRegExp, Double, Int32, Long, ObjectId } = mongoose.mongo;

/** A document, filter or update of the corpus: any BSON types, `_id` included. */
export type Doc = Record<string, unknown>;
export type Filter = Doc;
export type Sort = Record<string, 1 | -1>;

/** The hex of an ObjectId that is also a string `_id`, a string field value and a `foreignerId`. */
export const TWIN_HEX = '65a1b2c3d4e5f60718293a4b';

/** Strings whose JSON text orders or escapes differently from their BSON (UTF-8) order. */
export const ADVERSARIAL_STRINGS = [
  'a',
  'a!',
  'a b',
  'a\tb',
  'A',
  'b',
  '',
  ' ',
  '!',
  '<tag>',
  'x&y',
  'q"uote',
  'back\\slash',
  'kantor imigrasi',
  'Kantor Imigrasi Kelas I',
  '中文',
  '外国人',
  'émoji😀',
  '😀',
  'ä',
  'WNA-000123',
  'WNA-00012',
  'WNA-000124',
  '1',
  '10',
  '9',
  TWIN_HEX,
] as const;

/** `mixed`: `_id`s of many BSON types, fields that hold several types, arrays, nesting, gaps. */
export function mixedDocuments(): Doc[] {
  const docs: Doc[] = [
    {
      _id: 1,
      s: 'a',
      n: 1,
      tags: ['x', 'y'],
      region: 'JKT',
      docs: [
        { k: 'x', v: 1 },
        { k: 'y', v: 2 },
      ],
    },
    { _id: new Long(2), s: 'a!', n: new Long(1), tags: ['x'], region: 'JKT', nested: { x: 'v', y: { z: 1 } } },
    { _id: new Double(3.5), s: 'a b', n: new Double(1), tags: [], region: 'BALI', nested: { x: ['v', 'w'] } },
    { _id: new Int32(-4), s: '', n: 2.5, tags: [{ x: 1 }], region: 'bali', nested: { x: null } },
    { _id: 'a', s: ' ', n: '1', tags: 'x', region: 'JKT', nested: {} },
    { _id: 'a!', s: '!', n: null, tags: null, region: null, docs: { k: 'x', v: 3 } },
    { _id: 'a b', s: '<tag>', tags: [null], region: 'SBY' },
    { _id: '', s: 'x&y', n: -0.0, tags: [1, 'x'], region: 'SBY', docs: [] },
    { _id: 'A', s: 'q"uote', n: 1e300, tags: ['y', 'x', 'x'], region: 'JKT' },
    { _id: 'b', s: 'back\\slash', n: -7, tags: ['X'], region: 'MDN', docs: [{ k: 'z' }, { v: 1 }] },
    { _id: '中文', s: '中文', n: 3, tags: ['中文', '😀'], region: 'JKT' },
    { _id: 'émoji😀', s: 'émoji😀', n: new Long('9007199254740993'), region: 'BALI' },
    // no `_id: TWIN_HEX` here: FerretDB's SQLite `_id` index compares JSON text, where it equals the ObjectId
    // below, so both builds refuse the second with 11000 (MongoDB keeps both); \`strid\` has the string one
    { _id: 'twin', s: TWIN_HEX, n: 4, tags: [TWIN_HEX], region: 'JKT' },
    { _id: new ObjectId(TWIN_HEX), s: new ObjectId(TWIN_HEX), n: new Int32(4), region: 'JKT' },
    { _id: new ObjectId('65a1b2c3d4e5f60718293a4c'), s: 'kantor imigrasi', n: new Double(4), region: 'MDN' },
    { _id: new Date('2026-01-01T00:00:00Z'), s: new Date('2026-01-01T00:00:00Z'), n: 5, region: 'JKT' },
    { _id: true, s: true, n: 0, tags: [true, false], region: 'SBY' },
    { _id: false, s: false, region: 'SBY' },
    { _id: { a: 1, b: 'x' }, s: { a: 1 }, n: [1, 2], region: 'JKT' },
    { _id: { b: 'x', a: 1 }, s: { a: 1, b: null }, n: [{ v: 1 }], region: 'BALI' },
    { _id: new Binary(Buffer.from('binary')), s: new Binary(Buffer.from('a')), n: 6, region: 'MDN' },
    { _id: 'WNA-000123', s: 'WNA-000123', n: 123, tags: ['WNA-000123'], region: 'JKT' },
    { _id: 'WNA-00012', s: 'WNA-00012', n: 12, region: 'JKT' },
    { _id: 'WNA-000124', s: 'WNA-000124', n: 124, region: 'BALI' },
    { _id: '1', s: '1', n: 1, region: 'JKT' },
    { _id: '10', s: '10', n: 10, region: 'JKT' },
    { _id: '9', s: '9', n: 9, region: 'JKT' },
    { _id: 0, s: new BSONRegExp('^a', 'i'), n: new Double(0.1), region: 'SBY' },
    { _id: new Long(-9), s: 'a', n: 1, tags: ['x', 'y'], region: 'JKT' },
    { _id: 'dup1', s: 'a', n: 1, tags: ['x', 'y'], region: 'JKT' },
    { _id: 'dup2', s: 'a', n: 1, tags: ['x', 'y'], region: 'JKT' },
    { _id: '<tag>', s: 'Kantor Imigrasi Kelas I', tags: ['a', 'a!'], region: 'MDN' },
    { _id: 'x&y', s: 'ä', n: new Double(-1.5), nested: { x: 'w', y: { z: [1, 2] } }, region: 'MDN' },
    { _id: 'q"uote', s: '外国人', n: new Long(0), docs: [{ k: 'x', v: [1, 2] }], region: 'BALI' },
    { _id: 'back\\slash', s: '😀', n: new Double(1e-10), region: 'JKT' },
    { _id: ' ', s: 'A', region: 'JKT' },
    { _id: '!', s: 'b', n: 2, region: 'JKT' },
  ];
  // a unique field in every document, for the unique index
  return docs.map((d, i) => ({ ...d, seq: i }));
}

/** `strid`: plain string `_id`s, as the hub's collections have, with a compound and a unique index. */
export function stringIdDocuments(): Doc[] {
  const regions = ['JKT', 'BALI', 'JKT', 'SBY', 'bali', 'JKT'];
  return ADVERSARIAL_STRINGS.map((id, i) => {
    const doc: Doc = { _id: id, code: `C-${String(i).padStart(3, '0')}`, n: i % 5 };
    if (i % 7 !== 3) doc.region = regions[i % regions.length] ?? null;
    if (i % 4 === 0) doc.foreignerId = TWIN_HEX;
    else if (i % 4 === 1) doc.foreignerId = new ObjectId(TWIN_HEX);
    else if (i % 4 === 2) doc.foreignerId = ADVERSARIAL_STRINGS[(i * 5) % ADVERSARIAL_STRINGS.length];
    if (i % 3 === 0) doc.status = i % 2 ? 'ACTIVE' : 'EXPIRED';
    return doc;
  });
}

/**
 * `foreigners`: plain string `_id`s (so the `_id` order goes down to SQLite, patch 0009) and the
 * hub's foreigner shape, with adversarial values along the paths of its slow finds: arrays along
 * dotted paths, null/missing, mixed types, regex/binData values, case folding beyond ASCII (the
 * Kelvin sign K, long s, sigma forms, dotted I, sharp s) for `$regex` with `$options: 'i'`.
 */
export function foreignerDocuments(): Doc[] {
  const names: unknown[] = [
    'Wang Wei',
    'WANG Li',
    'Kelvin Smith',
    '\u212Aelvin Brown',
    'KELVIN',
    'Straße Müller',
    'STRASSE',
    'ſam',
    'Sam',
    'Σίσυφος',
    'σίσυφοσ',
    'İstanbul Kaya',
    'istanbul',
    '王伟',
    'Budi Santoso',
    'a.b',
    'aXb',
    '',
    null,
    7,
    ['Wang Wei', 'x'],
    [],
    new BSONRegExp('wang', 'i'),
    new Binary(Buffer.from('Wang')),
    { first: 'Wang' },
  ];
  const regencies: unknown[] = [
    '16.01',
    '16.01',
    '16.08',
    '16.09',
    null,
    ['16.01', '16.08'],
    [],
    16,
    { x: 1 },
    '16.01',
  ];
  const day = 86400000;
  const today = Date.UTC(2026, 11, 7);
  const permit = (i: number): unknown => {
    const p: Doc = { number: `K-${i}` };
    const types: unknown[] = ['LIMITED_STAY', 'PERMANENT_STAY', 'VISIT', null, 1, ['LIMITED_STAY'], 'LIMITED_STAY'];
    if (i % 11 !== 5) p.type = types[i % types.length];
    const statuses: unknown[] = ['ACTIVE', 'ACTIVE', 'EXPIRED', null, ['ACTIVE'], 'active'];
    if (i % 13 !== 7) p.status = statuses[i % statuses.length];
    const dates: unknown[] = [
      new Date(today + (i % 30) * day),
      new Date(today - (1 + (i % 20)) * day),
      new Date(today),
      null,
      '2030-01-01',
      [new Date(today + day)],
      new Date(today + 400 * day),
    ];
    if (i % 9 !== 4) p.expiresAt = dates[i % dates.length];
    return p;
  };
  const docs: Doc[] = [];
  for (let i = 0; i < 120; i++) {
    // inserted out of _id order
    const doc: Doc = { _id: `WNA-${String((i * 37) % 1000).padStart(6, '0')}` };
    if (i % 17 !== 3) doc.fullName = names[i % names.length];
    doc.nationality = ['CHN', 'AUS', 'CHN', ['CHN', 'AUS'], null][i % 5];
    if (i % 19 !== 2) doc.domicileRegency = regencies[i % regencies.length];
    const permits: unknown[] = [
      permit(i),
      permit(i + 1),
      null,
      'ACTIVE',
      [permit(i)],
      [permit(i), permit(i + 2)],
      {},
      permit(i + 3),
    ];
    doc.currentPermit = permits[i % permits.length];
    const crossings: unknown[] = [
      null,
      { direction: 'ENTRY', crossedAt: new Date(today - day) },
      { direction: 'EXIT' },
      { direction: ['ENTRY'] },
      [{ direction: 'ENTRY' }],
      'ENTRY',
    ];
    if (i % 23 !== 1) doc.lastCrossing = crossings[i % crossings.length];
    setNameTrigrams(doc, i);
    docs.push(doc);
  }
  return docs;
}

/**
 * `nameTrigrams` as the hub stores it (the trigrams of the folded name) for most foreigners, and
 * adversarial shapes for the others (patch 0019 reads the whole array of a top-level field on the
 * reduced documents): missing, null, a string instead of an array, duplicates, an array in a document,
 * mixed types, empty, in the wrong case, trigrams of another name.
 */
function setNameTrigrams(doc: Doc, i: number): void {
  const own = typeof doc.fullName === 'string' ? nameTrigrams(doc.fullName) : [];
  const shapes: unknown[] = [
    undefined,
    null,
    'wan',
    ['wan', 'wan', 'ang', 'ang', 'ng ', 'g w', ' we', 'wei'],
    [{ v: ['wan', 'ang'] }], // FerretDB stores no nested arrays
    [
      'wan',
      1,
      null,
      new ObjectId(TWIN_HEX),
      { v: 'ang' },
      new BSONRegExp('ang'),
      new Binary(Buffer.from('ang')),
      'ang',
    ],
    [],
    ['WAN', 'ANG'],
    nameTrigrams('Kelvin Wang Straße Σίσυφος istanbul'),
  ];
  const shape = i % 4 === 1 ? Math.floor(i / 4) % (shapes.length + 1) : shapes.length;
  if (shape === shapes.length) doc.nameTrigrams = own;
  else if (shape !== 0) doc.nameTrigrams = shapes[shape];
}

/** A collection of the corpus: its documents and the indexes created on it. */
export interface CollectionSpec {
  documents: () => Doc[];
  indexes: { key: Sort; unique?: boolean }[];
}

export type CollectionName = 'mixed' | 'strid' | 'foreigners';

/** The collections, their documents and indexes. */
export const COLLECTIONS: Record<CollectionName, CollectionSpec> = {
  mixed: {
    documents: mixedDocuments,
    indexes: [
      { key: { region: 1 } },
      { key: { region: 1, _id: 1 } },
      { key: { s: 1 } },
      { key: { tags: 1 } },
      { key: { seq: 1 }, unique: true },
    ],
  },
  strid: {
    documents: stringIdDocuments,
    indexes: [
      { key: { region: 1, _id: 1 } },
      { key: { foreignerId: 1 } },
      { key: { code: 1 }, unique: true },
      { key: { status: 1, region: 1 } },
    ],
  },
  foreigners: {
    documents: foreignerDocuments,
    indexes: [
      { key: { domicileRegency: 1, _id: 1 } },
      { key: { nationality: 1, _id: 1 } },
      { key: { nameTrigrams: 1 } },
    ],
  },
};

/** A read: its answer must be the same on both builds. `ordered: false` compares the documents as a multiset. */
export type ReadOperation =
  | {
      kind: 'find';
      filter: Filter;
      sort?: Sort;
      limit?: number;
      skip?: number;
      batchSize?: number;
      projection?: Doc;
    }
  | { kind: 'countDocuments'; filter: Filter; limit?: number; skip?: number }
  | { kind: 'count'; query?: Filter }
  | { kind: 'estimatedDocumentCount' }
  | { kind: 'aggregate'; pipeline: Doc[]; ordered: boolean }
  | { kind: 'distinct'; key: string; filter: Filter };

/** A write: its answer and the collection afterwards must be the same on both builds. */
export type WriteOperation =
  | { kind: 'updateOne' | 'updateMany'; filter: Filter; update: Doc; upsert?: boolean }
  | { kind: 'replaceOne'; filter: Filter; replacement: Doc; upsert?: boolean }
  | { kind: 'findOneAndUpdate'; filter: Filter; update: Doc; upsert?: boolean; sort?: Sort }
  | { kind: 'deleteOne' | 'deleteMany'; filter: Filter }
  | { kind: 'insertOne'; document: Doc }
  | { kind: 'bulkWrite'; operations: Doc[]; ordered: boolean };

export interface Case<Op> {
  name: string;
  collection: CollectionName;
  op: Op;
}

const ID_ASC: Sort = { _id: 1 };
const ID_DESC: Sort = { _id: -1 };

/**
 * More values than SQLite has variables (32,766) at two per value: patch 0014 binds a `$in` as
 * one JSON array. `count` values that match nothing, then `extra`.
 */
function largeIn(count: number, extra: unknown[]): unknown[] {
  return [...Array.from({ length: count }, (_, i) => `none-${String(i).padStart(6, '0')}`), ...extra];
}
/** Numbers that equal across types (int 1, long 1, double 1, -0 and 0), and a string and null among them. */
const NUMBERS: unknown[] = [1, '1', new Long(4), 2.5, null, new Double(-0), new Long('9007199254740993')];
/** One value of each type the `mixed` documents hold, the ObjectId twin of a hex string among them. */
const EVERY_TYPE: unknown[] = [
  'a',
  new ObjectId(TWIN_HEX),
  true,
  new Date('2026-01-01T00:00:00Z'),
  { a: 1 },
  0,
  new BSONRegExp('^k'),
  '中文',
];
/** For array fields: an element, a regex, a whole array, null (an array holding null). */
const IN_ARRAYS: unknown[] = ['y', /^中/, ['x', 'y'], null];
/** `WNA-000000` to `WNA-019999`: ids of the corpus and the foreigners among them. */
const WNA_IDS = Array.from({ length: 20_000 }, (_, i) => `WNA-${String(i).padStart(6, '0')}`);

/** Filters worth running on both collections, each with several sorts and pages. */
const SHARED_FILTERS: Record<string, Filter> = {
  everything: {},
  'string equality': { region: 'JKT' },
  '$eq on a string': { region: { $eq: 'bali' } },
  'equality on null (matches missing too)': { region: null },
  '$in strings': { region: { $in: ['JKT', 'SBY'] } },
  '$in empty': { region: { $in: [] } },
  '$in with null': { region: { $in: [null, 'MDN'] } },
  $nin: { region: { $nin: ['JKT', null] } },
  $ne: { region: { $ne: 'JKT' } },
  '$exists true': { region: { $exists: true } },
  '$exists false': { region: { $exists: false } },
  '_id string equality': { _id: 'a' },
  '_id string with ! (JSON text orders it before "a")': { _id: 'a!' },
  '_id empty string': { _id: '' },
  '_id with <>&': { _id: { $in: ['<tag>', 'x&y', 'q"uote', 'back\\slash'] } },
  '_id unicode': { _id: { $in: ['中文', 'émoji😀', 'ä', '😀'] } },
  '_id twin hex as string': { _id: TWIN_HEX },
  '_id twin hex as ObjectId': { _id: new ObjectId(TWIN_HEX) },
  '_id $in mixing string and ObjectId twins': { _id: { $in: [TWIN_HEX, new ObjectId(TWIN_HEX), 'nope'] } },
  '_id $gt "a"': { _id: { $gt: 'a' } },
  '_id $gte "a"': { _id: { $gte: 'a' } },
  '_id $lt "a!"': { _id: { $lt: 'a!' } },
  '_id $lte "WNA-000123"': { _id: { $lte: 'WNA-000123' } },
  '_id range "WNA-00012" to "WNA-000124"': { _id: { $gte: 'WNA-00012', $lt: 'WNA-000124' } },
  '_id $gt "" $lt "b"': { _id: { $gt: '', $lt: 'b' } },
  '_id $gt "<" (escaped as \\u003c in JSON)': { _id: { $gt: '<' } },
  '_id $lt "~"': { _id: { $lt: '~' } },
  '_id $gt "9" (strings, not numbers)': { _id: { $gt: '9' } },
  'several keys': { region: 'JKT', n: 1 },
  '$and of equalities': { $and: [{ region: 'JKT' }, { _id: { $gte: 'a' } }] },
  $or: { $or: [{ region: 'BALI' }, { _id: 'a!' }, { _id: { $lt: '1' } }] },
  $nor: { $nor: [{ region: 'JKT' }, { region: 'BALI' }] },
  'region and _id range (compound index)': { region: 'JKT', _id: { $gt: 'W' } },
  '$regex anchored': { _id: { $regex: '^WNA-' } },
  '$regex case-insensitive': { region: { $regex: '^bali$', $options: 'i' } },
  '$regex unicode': { _id: /文/ },
};

/** Filters that mean something only on `mixed`. */
const MIXED_FILTERS: Record<string, Filter> = {
  'array contains x': { tags: 'x' },
  'array does not contain x': { tags: { $ne: 'x' } },
  'array equals [x]': { tags: ['x'] },
  'array equals [x, y]': { tags: ['x', 'y'] },
  'array equals []': { tags: [] },
  'array $elemMatch $eq': { tags: { $elemMatch: { $eq: 'x' } } },
  'array element null': { tags: null },
  'array $in': { tags: { $in: ['y', '中文'] } },
  // patch 0017: the multikey table holds an ObjectId item as its hex, as a string item
  'array $in, ObjectId and its hex': { tags: { $in: [new ObjectId(TWIN_HEX), 'WNA-000123'] } },
  'array $in, the hex of an ObjectId': { tags: { $in: [TWIN_HEX, true] } },
  'array $in, strings and a regex': { tags: { $in: ['x', /^中/] } },
  'array $all': { tags: { $all: ['x', 'y'] } },
  'array $size 2': { tags: { $size: 2 } },
  'array $elemMatch': { docs: { $elemMatch: { k: 'x', v: { $gte: 1 } } } },
  'dotted path into array of documents': { 'docs.k': 'x' },
  'dotted path into array of documents, number': { 'docs.v': 1 },
  'dotted path array index': { 'tags.0': 'x' },
  'dotted path into document': { 'nested.x': 'v' },
  'dotted path deeper': { 'nested.y.z': 1 },
  'dotted path null': { 'nested.x': null },
  'dotted $exists': { 'nested.x': { $exists: true } },
  'number 1 (int, long, double, not "1")': { n: 1 },
  'number $in mixed types': { n: { $in: [1, '1', new Long(4), 2.5, null] } },
  'number $gt 2': { n: { $gt: 2 } },
  'number $lte 0': { n: { $lte: 0 } },
  'number -0 equals 0': { n: 0 },
  'number in array': { n: 2 },
  'big long': { n: new Long('9007199254740993') },
  'string field, ObjectId twin': { s: new ObjectId(TWIN_HEX) },
  'string field, hex string twin': { s: TWIN_HEX },
  'string field $gt "a" (strings only)': { s: { $gt: 'a' } },
  'string field $lt "a!"': { s: { $lt: 'a!' } },
  'string field $in mixed types': { s: { $in: ['a', true, 0, new Date('2026-01-01T00:00:00Z'), { a: 1 }] } },
  'bool field value': { s: false },
  'date field value': { s: new Date('2026-01-01T00:00:00Z') },
  'document equality (field order matters)': { s: { a: 1 } },
  'document _id equality': { _id: { a: 1, b: 'x' } },
  'document _id other order': { _id: { b: 'x', a: 1 } },
  '_id number 1 (int)': { _id: 1 },
  '_id number 2 as double': { _id: 2.0 },
  '_id 3.5': { _id: 3.5 },
  '_id $gt 0 (numbers only)': { _id: { $gt: 0 } },
  '_id $lt 2': { _id: { $lt: 2 } },
  '_id $in mixed types': { _id: { $in: [1, 'a', true, new Date('2026-01-01T00:00:00Z'), -4, null] } },
  '_id $gte ObjectId': { _id: { $gte: new ObjectId('000000000000000000000000') } },
  '_id $type string': { _id: { $type: 'string' } },
  '_id binary': { _id: new Binary(Buffer.from('binary')) },
  'regex value matches strings and regex': { s: /^a/ },
  '$or across types': { $or: [{ _id: 1 }, { _id: 'a' }, { s: true }, { tags: 'y' }] },
  '$and dotted and array': { $and: [{ 'docs.k': 'x' }, { tags: 'x' }] },
  'seq range': { seq: { $gte: 5, $lt: 15 } },
};

/** The hub's slow finds (registration gaps, name search, overstays) and adversarial shapes, on `foreigners`. */
const TODAY = new Date('2026-12-07T00:00:00Z');
const GAPS: Filter = {
  $and: [
    { domicileRegency: '16.01' },
    { 'currentPermit.type': { $in: ['LIMITED_STAY', 'PERMANENT_STAY'] } },
    { 'currentPermit.status': 'ACTIVE', 'currentPermit.expiresAt': { $gte: TODAY } },
  ],
};
const FOREIGNER_FILTERS: Record<string, Filter> = {
  'registration gaps': GAPS,
  'registration gaps after a cursor': { ...GAPS, _id: { $gt: 'WNA-000400' } },
  'name $regex i': { fullName: { $regex: 'wang', $options: 'i' } },
  'name $regex i, Kelvin sign folding': { fullName: { $regex: 'kelvin', $options: 'i' } },
  'name $regex i, Kelvin sign in the pattern': { fullName: { $regex: '\u212AELVIN', $options: 'i' } },
  'name $regex i, sharp s and long s': {
    $or: [{ fullName: { $regex: 'straße', $options: 'i' } }, { fullName: { $regex: 'sam', $options: 'i' } }],
  },
  'name $regex i, sigma and dotted I': {
    $or: [{ fullName: { $regex: 'σίσυφος', $options: 'i' } }, { fullName: { $regex: 'istanbul', $options: 'i' } }],
  },
  'name $regex i, escaped dot': { fullName: { $regex: 'a\\.b', $options: 'i' } },
  'name regex value': { fullName: /WANG/i },
  'name $regex i and region': { fullName: { $regex: 'wang', $options: 'i' }, domicileRegency: '16.01' },
  'name $regex and region $in': { fullName: { $regex: 'a' }, domicileRegency: { $in: ['16.08', '16.09', '16.08'] } },
  overstay: { domicileRegency: '16.08', 'currentPermit.expiresAt': { $lt: TODAY }, 'lastCrossing.direction': 'ENTRY' },
  'nationality and region': { nationality: 'CHN', domicileRegency: '16.09' },
  'region page after a cursor': { domicileRegency: '16.01', _id: { $gt: 'WNA-000300' } },
  'permit null or not active': { $or: [{ currentPermit: null }, { 'currentPermit.status': { $ne: 'ACTIVE' } }] },
  'permit date range on nested field': {
    'currentPermit.expiresAt': { $gte: TODAY, $lt: new Date(TODAY.getTime() + 20 * 86400000) },
  },
  'permit date $not': { 'currentPermit.expiresAt': { $not: { $gte: TODAY } } },
  'crossing direction missing': { 'lastCrossing.direction': { $exists: false } },
  // the hub's name search narrowed by trigrams (0017's multikey table; 0019 counts it on reduced documents)
  ...Object.fromEntries(
    ['wang', 'wan', 'kelvin', '\u212Aelvin', 'STRASSE', 'straße', 'σίσυφος', 'İstanbul', 'zzzz'].map((f) => [
      `name search ${JSON.stringify(f)} by trigrams`,
      nameContainsCondition(f, true),
    ]),
  ),
  'trigram $in and nationality': { nameTrigrams: { $in: ['wan', 'kel', 'zzz'] }, nationality: 'CHN' },
  'trigrams null or missing': { $or: [{ nameTrigrams: null }, { nameTrigrams: { $exists: false } }] },
  'permit $elemMatch (not prefiltered)': { currentPermit: { $elemMatch: { status: 'ACTIVE' } } },
  'numeric path (not prefiltered)': { 'currentPermit.0.status': 'ACTIVE' },
};

/** Sort and page variants run for each filter. */
const SHAPES: { name: string; shape: Omit<Extract<ReadOperation, { kind: 'find' }>, 'kind' | 'filter'> }[] = [
  { name: 'unsorted', shape: {} },
  { name: 'sort _id asc', shape: { sort: ID_ASC } },
  { name: 'sort _id desc', shape: { sort: ID_DESC } },
  { name: 'sort _id asc limit 3', shape: { sort: ID_ASC, limit: 3 } },
  { name: 'sort _id desc limit 1', shape: { sort: ID_DESC, limit: 1 } },
  { name: 'sort _id asc skip 2 limit 4 batch 2', shape: { sort: ID_ASC, skip: 2, limit: 4, batchSize: 2 } },
  { name: 'sort _id asc batch 2 (getMore)', shape: { sort: ID_ASC, batchSize: 2 } },
  { name: 'sort region, _id limit 5', shape: { sort: { region: 1, _id: 1 }, limit: 5 } },
  { name: 'sort s desc, _id asc, projection', shape: { sort: { s: -1, _id: 1 }, projection: { s: 1, region: 1 } } },
  { name: 'sort _id asc, projection without _id', shape: { sort: ID_ASC, projection: { _id: 0, region: 1, n: 1 } } },
];

function findCases(collection: CollectionName, filters: Record<string, Filter>): Case<ReadOperation>[] {
  return Object.entries(filters).flatMap(([name, filter]) =>
    SHAPES.map(({ name: shapeName, shape }) => ({
      name: `${collection}: find ${name}, ${shapeName}`,
      collection,
      op: { kind: 'find' as const, filter, ...shape },
    })),
  );
}

function countCases(collection: CollectionName, filters: Record<string, Filter>): Case<ReadOperation>[] {
  return Object.entries(filters).flatMap(([name, filter]): Case<ReadOperation>[] => [
    { name: `${collection}: countDocuments ${name}`, collection, op: { kind: 'countDocuments', filter } },
    { name: `${collection}: count ${name}`, collection, op: { kind: 'count', query: filter } },
  ]);
}

const GROUPS: { name: string; pipeline: Doc[]; ordered: boolean }[] = [
  { name: 'group by region', pipeline: [{ $group: { _id: '$region', n: { $sum: 1 } } }], ordered: false },
  {
    name: 'group by region sorted',
    pipeline: [{ $group: { _id: '$region', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
    ordered: true,
  },
  {
    name: 'group by {a: region, b: n}',
    pipeline: [{ $group: { _id: { a: '$region', b: '$n' }, n: { $sum: 1 } } }],
    ordered: false,
  },
  { name: 'group _id null', pipeline: [{ $group: { _id: null, n: { $sum: 1 } } }], ordered: true },
  {
    name: 'group by region, count field',
    pipeline: [{ $group: { _id: '$region', total: { $sum: '$n' }, n: { $count: {} } } }],
    ordered: false,
  },
];

function aggregateCases(collection: CollectionName, filters: Record<string, Filter>): Case<ReadOperation>[] {
  const picked = Object.entries(filters).filter((_, i) => i % 3 === 0);
  return picked.flatMap(([name, filter]) =>
    GROUPS.map((g) => ({
      name: `${collection}: aggregate $match ${name}, ${g.name}`,
      collection,
      op: { kind: 'aggregate' as const, pipeline: [{ $match: filter }, ...g.pipeline], ordered: g.ordered },
    })),
  );
}

/**
 * The statistics' aggregations (`foreigner-statistics.ts`): a region condition and-ed with "permit in
 * force" or its `$nor`, counted by nationality, permit type and the region below, in a row so that
 * the differential test (eight cases at a time) sends them together: patch 0018 reads the rows once
 * for the aggregations that arrive together. Also a composite `_id` taken whole from
 * the documents (`$currentPermit`), which the shared reading must not let one answer change for another.
 */
function statisticsCases(): Case<ReadOperation>[] {
  const region: Filter = { domicileRegency: { $in: ['16.01', '16.08'] } };
  const inForce: Filter = { 'currentPermit.status': 'ACTIVE', 'currentPermit.expiresAt': { $gte: TODAY } };
  const count = { $sum: 1 };
  const cases: [string, Doc[]][] = [
    ['by nationality', [{ $match: region }, { $group: { _id: { nationality: '$nationality' }, count } }]],
    [
      'in force by nationality and permit type',
      [
        { $match: { $and: [region, inForce] } },
        { $group: { _id: { nationality: '$nationality', permitType: '$currentPermit.type' }, count } },
      ],
    ],
    [
      'not in force by nationality',
      [
        { $match: { $and: [region, { $nor: [inForce] }] } },
        { $group: { _id: { nationality: '$nationality' }, count } },
      ],
    ],
    [
      'in force by permit type',
      [{ $match: { $and: [region, inForce] } }, { $group: { _id: { permitType: '$currentPermit.type' }, count } }],
    ],
    ['not in force, total', [{ $match: { $and: [region, { $nor: [inForce] }] } }, { $group: { _id: null, count } }]],
    ['by district', [{ $match: region }, { $group: { _id: { regionCode: '$domicileDistrict' }, count } }]],
    ['by whole permit', [{ $match: region }, { $group: { _id: '$currentPermit', count } }]],
    [
      'by regency and nationality',
      [{ $match: region }, { $group: { _id: { regionCode: '$domicileRegency', nationality: '$nationality' }, count } }],
    ],
  ];
  return cases.map(([name, pipeline]) => ({
    name: `foreigners: aggregate statistics ${name} (0018)`,
    collection: 'foreigners',
    op: { kind: 'aggregate' as const, pipeline, ordered: false },
  }));
}

/**
 * The name search's count as the hub may send it (`$count`, or countDocuments' `$group`), and groups
 * keyed by a whole array (`$nameTrigrams`): patch 0019 counts them on documents reduced to the
 * filter's paths, a top-level array whole, among the rows the multikey table gives.
 */
function nameCountCases(): Case<ReadOperation>[] {
  const byTrigrams = Object.entries(FOREIGNER_FILTERS).filter(([name]) => name.includes('trigram'));
  return byTrigrams.flatMap(([name, filter]): Case<ReadOperation>[] => [
    {
      name: `foreigners: aggregate $match ${name}, $count (0019)`,
      collection: 'foreigners',
      op: { kind: 'aggregate', pipeline: [{ $match: filter }, { $count: 'n' }], ordered: true },
    },
    {
      name: `foreigners: aggregate $match ${name}, $group by nameTrigrams (0019)`,
      collection: 'foreigners',
      op: {
        kind: 'aggregate',
        pipeline: [{ $match: filter }, { $group: { _id: '$nameTrigrams', n: { $sum: 1 } } }],
        ordered: false,
      },
    },
  ]);
}

/**
 * The name search's page as the hub sends it (`keysetPage`: `_id` order, `first + 1`, after a
 * cursor), and trigram shapes that patch 0020 drives by the multikey table's `_id`s: several
 * equalities (the rarest drives), `$in` among them, the same trigram twice, a trigram some
 * foreigners hold as a string instead of an array, an ObjectId item, the wrong case, none found;
 * with limits, cursors both ways and `getMore` batches; sorts other than `_id` (not driven) alike.
 */
function namePageCases(): Case<ReadOperation>[] {
  const byTrigrams: [string, Filter][] = [
    ...['wang', 'wan', 'kelvin', 'straße', 'zzzz'].map((f): [string, Filter] => [
      `name search ${JSON.stringify(f)}`,
      nameContainsCondition(f, true),
    ]),
    ['trigrams wan and ang', { $and: [{ nameTrigrams: 'wan' }, { nameTrigrams: 'ang' }] }],
    ['trigram wan (some hold it as a string)', { nameTrigrams: 'wan' }],
    ['trigram $in and an equality', { $and: [{ nameTrigrams: { $in: ['wan', 'kel'] } }, { nameTrigrams: 'ang' }] }],
    ['the same trigram twice', { $and: [{ nameTrigrams: 'ang' }, { nameTrigrams: { $eq: 'ang' } }] }],
    [
      'trigram ObjectId item and a string',
      { $and: [{ nameTrigrams: new ObjectId(TWIN_HEX) }, { nameTrigrams: 'ang' }] },
    ],
    ['trigrams in the wrong case', { $and: [{ nameTrigrams: 'WAN' }, { nameTrigrams: 'ANG' }] }],
    [
      'trigrams and a region',
      { $and: [{ nameTrigrams: 'wan' }, { nameTrigrams: 'ang' }, { domicileRegency: '16.01' }] },
    ],
  ];
  const shapes: [string, (f: Filter) => Omit<Extract<ReadOperation, { kind: 'find' }>, 'kind'>][] = [
    ['first page of 101', (f) => ({ filter: f, sort: ID_ASC, limit: 101, batchSize: 101 })],
    ['first page of 3 in batches of 1', (f) => ({ filter: f, sort: ID_ASC, limit: 3, batchSize: 1 })],
    ['after a cursor', (f) => ({ filter: { $and: [f, { _id: { $gt: 'WNA-000300' } }] }, sort: ID_ASC, limit: 101 })],
    [
      'before a cursor, _id desc',
      (f) => ({ filter: { $and: [f, { _id: { $lt: 'WNA-000700' } }] }, sort: ID_DESC, limit: 4 }),
    ],
    [
      'between cursors',
      (f) => ({ filter: { $and: [f, { _id: { $gte: 'WNA-000200', $lte: 'WNA-000800' } }] }, sort: ID_ASC }),
    ],
    ['sorted by name, limit 5 (not driven)', (f) => ({ filter: f, sort: { fullName: 1, _id: 1 }, limit: 5 })],
    ['sorted by name desc (not driven)', (f) => ({ filter: f, sort: { fullName: -1, _id: 1 } })],
  ];
  return byTrigrams.flatMap(([name, filter]) =>
    shapes.map(([shapeName, shape]): Case<ReadOperation> => ({
      name: `foreigners: find ${name}, ${shapeName} (0020)`,
      collection: 'foreigners',
      op: { kind: 'find', ...shape(filter) },
    })),
  );
}

/**
 * Finds and counts with a `$in` of 20,000 values or more (patch 0014 pushes it down; 0016 looks a
 * document's value up among the values) and a `$nin` as large (0016), a few shapes each: every
 * query is large. The 0016 filters mix what the lookup keys (strings, ObjectIds, null, dates,
 * numbers of three types) with what it leaves to FerretDB's comparisons (regexes, documents,
 * arrays), on fields holding arrays, nested arrays, documents, null and nothing.
 */
function largeInCases(): Case<ReadOperation>[] {
  const region: Filter = { region: { $in: largeIn(20_000, ['JKT', 'bali', TWIN_HEX]) } };
  const ids: Filter = { _id: { $in: [...WNA_IDS, new ObjectId(TWIN_HEX), 'a!'] } };
  const regency: Filter = { domicileRegency: { $in: largeIn(20_000, ['16.01', '16.09']) } };
  const cases: [CollectionName, string, Filter, '0014' | '0016'][] = [
    ['mixed', 'region $in of 20,003 values', region, '0014'],
    ['strid', 'region $in of 20,003 values', region, '0014'],
    ['mixed', '_id $in of 20,002 values', ids, '0014'],
    ['foreigners', '_id $in of 20,000 ids', { _id: { $in: WNA_IDS } }, '0014'],
    ['foreigners', 'regency $in of 20,002 values', regency, '0014'],
    ['mixed', 'n $in of 20,007 values, numbers of three types', { n: { $in: largeIn(20_000, NUMBERS) } }, '0016'],
    ['mixed', 'n $nin of 20,007 values, numbers of three types', { n: { $nin: largeIn(20_000, NUMBERS) } }, '0016'],
    ['mixed', 's $in of 20,008 values of every type', { s: { $in: largeIn(20_000, EVERY_TYPE) } }, '0016'],
    ['mixed', 's $nin of 20,008 values of every type', { s: { $nin: largeIn(20_000, EVERY_TYPE) } }, '0016'],
    ['mixed', 'tags $in of 20,004 values, regex and array', { tags: { $in: largeIn(20_000, IN_ARRAYS) } }, '0016'],
    ['mixed', 'tags $nin of 20,004 values, regex and array', { tags: { $nin: largeIn(20_000, IN_ARRAYS) } }, '0016'],
    [
      'mixed',
      'docs.k $nin of 20,002 values (dotted, arrays)',
      { 'docs.k': { $nin: largeIn(20_000, ['x', null]) } },
      '0016',
    ],
    ['mixed', '_id $nin of 20,002 values', { _id: { $nin: [...WNA_IDS, new ObjectId(TWIN_HEX), 'a!'] } }, '0016'],
    ['strid', 'region $nin of 20,002 values', { region: { $nin: largeIn(20_000, ['JKT', null]) } }, '0016'],
    ['foreigners', '_id $nin of 10,000 ids', { _id: { $nin: WNA_IDS.filter((_, i) => i % 2 === 0) } }, '0016'],
    [
      'foreigners',
      'permit status $nin of 20,002 values (dotted, arrays)',
      { 'currentPermit.status': { $nin: largeIn(20_000, ['ACTIVE', null]) } },
      '0016',
    ],
    [
      'foreigners',
      'nationality $in of 20,001 values and $nin of 20,001',
      { nationality: { $in: largeIn(20_000, ['CHN']), $nin: largeIn(20_000, ['AUS']) } },
      '0016',
    ],
  ];
  return cases.flatMap(([collection, name, filter, patch]): Case<ReadOperation>[] => [
    {
      name: `${collection}: find ${name}, sort _id asc (${patch})`,
      collection,
      op: { kind: 'find', filter, sort: ID_ASC },
    },
    {
      name: `${collection}: find ${name}, sort _id desc limit 3 (${patch})`,
      collection,
      op: { kind: 'find', filter, sort: ID_DESC, limit: 3 },
    },
    { name: `${collection}: countDocuments ${name} (${patch})`, collection, op: { kind: 'countDocuments', filter } },
  ]);
}

/** Every read compared between the builds. */
export function readCases(): Case<ReadOperation>[] {
  const mixedFilters = { ...SHARED_FILTERS, ...MIXED_FILTERS };
  return [
    ...findCases('mixed', mixedFilters),
    ...findCases('strid', SHARED_FILTERS),
    ...countCases('mixed', mixedFilters),
    ...countCases('strid', SHARED_FILTERS),
    ...findCases('foreigners', FOREIGNER_FILTERS),
    ...countCases('foreigners', FOREIGNER_FILTERS),
    {
      name: 'mixed: countDocuments with skip and limit',
      collection: 'mixed',
      op: { kind: 'countDocuments', filter: { region: 'JKT' }, skip: 2, limit: 5 },
    },
    { name: 'mixed: estimatedDocumentCount', collection: 'mixed', op: { kind: 'estimatedDocumentCount' } },
    { name: 'strid: estimatedDocumentCount', collection: 'strid', op: { kind: 'estimatedDocumentCount' } },
    { name: 'strid: count without query', collection: 'strid', op: { kind: 'count' } },
    ...aggregateCases('mixed', mixedFilters),
    ...aggregateCases('strid', SHARED_FILTERS),
    ...statisticsCases(),
    ...nameCountCases(),
    ...namePageCases(),
    {
      name: 'foreigners: aggregate $count alone (0019)',
      collection: 'foreigners',
      op: { kind: 'aggregate', pipeline: [{ $count: 'all' }], ordered: true },
    },
    {
      name: 'strid: aggregate $match, $sort _id desc, $limit',
      collection: 'strid',
      op: {
        kind: 'aggregate',
        pipeline: [{ $match: { region: 'JKT' } }, { $sort: { _id: -1 } }, { $limit: 3 }],
        ordered: true,
      },
    },
    // two-stage pipelines that are not the drivers' countDocuments shape ([$match, $group])
    {
      name: 'mixed: aggregate $sort _id, $limit',
      collection: 'mixed',
      op: { kind: 'aggregate', pipeline: [{ $sort: { _id: 1 } }, { $limit: 3 }], ordered: true },
    },
    {
      name: 'strid: aggregate $project, $group',
      collection: 'strid',
      op: {
        kind: 'aggregate',
        pipeline: [{ $project: { region: 1 } }, { $group: { _id: '$region', n: { $sum: 1 } } }],
        ordered: false,
      },
    },
    {
      name: 'strid: aggregate $group _id null, $project',
      collection: 'strid',
      op: {
        kind: 'aggregate',
        pipeline: [{ $group: { _id: null, n: { $sum: 1 } } }, { $project: { _id: 0, n: 1 } }],
        ordered: true,
      },
    },
    {
      name: 'strid: aggregate $match, $count',
      collection: 'strid',
      op: { kind: 'aggregate', pipeline: [{ $match: { region: 'JKT' } }, { $count: 'n' }], ordered: true },
    },
    {
      name: 'strid: aggregate $match, $group _id 1 $sum 1 (countDocuments shape, other _id)',
      collection: 'strid',
      op: {
        kind: 'aggregate',
        pipeline: [{ $match: { region: { $in: ['JKT', 'SBY'] } } }, { $group: { _id: 1, c: { $sum: 1 } } }],
        ordered: true,
      },
    },
    {
      name: 'mixed: aggregate $match on an array field, $group _id null $sum 1 (countDocuments shape)',
      collection: 'mixed',
      op: {
        kind: 'aggregate',
        pipeline: [{ $match: { tags: 'x' } }, { $group: { _id: null, n: { $sum: 1 } } }],
        ordered: true,
      },
    },
    {
      name: 'mixed: aggregate $match with no match, $group _id null $sum 1 (no document, not n: 0)',
      collection: 'mixed',
      op: {
        kind: 'aggregate',
        pipeline: [{ $match: { region: 'nowhere' } }, { $group: { _id: null, n: { $sum: 1 } } }],
        ordered: true,
      },
    },
    {
      name: 'mixed: aggregate $sort _id, $skip, $project',
      collection: 'mixed',
      op: { kind: 'aggregate', pipeline: [{ $sort: { _id: 1 } }, { $skip: 5 }, { $project: { s: 1 } }], ordered: true },
    },
    ...(['region', 's', 'n', 'tags', 'docs.k', 'nested.x', '_id'] as const).flatMap((key): Case<ReadOperation>[] => [
      { name: `mixed: distinct ${key}`, collection: 'mixed', op: { kind: 'distinct', key, filter: {} } },
      {
        name: `mixed: distinct ${key} where region JKT`,
        collection: 'mixed',
        op: { kind: 'distinct', key, filter: { region: 'JKT' } },
      },
    ]),
    {
      name: 'strid: distinct foreignerId',
      collection: 'strid',
      op: { kind: 'distinct', key: 'foreignerId', filter: {} },
    },
    {
      name: 'strid: distinct region where _id $gt "a"',
      collection: 'strid',
      op: { kind: 'distinct', key: 'region', filter: { _id: { $gt: 'a' } } },
    },
    ...largeInCases(),
    {
      name: 'strid: aggregate $match $in of 20,002 values, $group by region (0014)',
      collection: 'strid',
      op: {
        kind: 'aggregate',
        pipeline: [
          { $match: { region: { $in: largeIn(20_000, ['JKT', 'SBY']) } } },
          { $group: { _id: '$region', n: { $sum: 1 } } },
        ],
        ordered: false,
      },
    },
    {
      name: 'foreigners: aggregate $match regency $in of 20,002 values, $group by nationality (0014)',
      collection: 'foreigners',
      op: {
        kind: 'aggregate',
        pipeline: [
          { $match: { domicileRegency: { $in: largeIn(20_000, ['16.01', '16.09']) } } },
          { $group: { _id: '$nationality', n: { $sum: 1 } } },
        ],
        ordered: false,
      },
    },
    // answers that are errors must be the same errors
    { name: 'error: $in not an array', collection: 'mixed', op: { kind: 'find', filter: { region: { $in: 'JKT' } } } },
    { name: 'error: unknown operator', collection: 'mixed', op: { kind: 'find', filter: { region: { $nope: 1 } } } },
    { name: 'error: invalid regex', collection: 'strid', op: { kind: 'find', filter: { _id: { $regex: '(' } } } },
    { name: 'error: $size not a number', collection: 'mixed', op: { kind: 'find', filter: { tags: { $size: 'x' } } } },
    {
      name: 'error: bad sort value',
      collection: 'strid',
      op: { kind: 'aggregate', pipeline: [{ $sort: { _id: 2 } }], ordered: true },
    },
    { name: 'error: negative limit count', collection: 'strid', op: { kind: 'countDocuments', filter: {}, skip: -1 } },
    {
      name: 'error: $group without _id',
      collection: 'mixed',
      op: { kind: 'aggregate', pipeline: [{ $group: { n: { $sum: 1 } } }], ordered: true },
    },
    {
      name: 'error: unknown stage',
      collection: 'mixed',
      op: { kind: 'aggregate', pipeline: [{ $nope: {} }], ordered: true },
    },
  ];
}

/** Every write compared between the builds, each on a fresh copy of its collection. */
export function writeCases(): Case<WriteOperation>[] {
  const w = (name: string, collection: CollectionName, op: WriteOperation): Case<WriteOperation> => ({
    name: `${collection}: ${name}`,
    collection,
    op,
  });
  return [
    w('updateOne $set by _id string', 'strid', {
      kind: 'updateOne',
      filter: { _id: 'a!' },
      update: { $set: { status: 'NEW' } },
    }),
    w('updateOne $set by _id ObjectId twin', 'mixed', {
      kind: 'updateOne',
      filter: { _id: new ObjectId(TWIN_HEX) },
      update: { $set: { s: 'changed' } },
    }),
    w('updateOne $set by _id string twin', 'mixed', {
      kind: 'updateOne',
      filter: { _id: TWIN_HEX },
      update: { $set: { s: 'changed' } },
    }),
    w('updateOne with _id number (long 2 matched by int)', 'mixed', {
      kind: 'updateOne',
      filter: { _id: 2 },
      update: { $inc: { n: 1 } },
    }),
    w('updateMany $set by region', 'strid', {
      kind: 'updateMany',
      filter: { region: 'JKT' },
      update: { $set: { status: 'CHECKED' } },
    }),
    w('updateMany $inc on numbers of several types', 'mixed', {
      kind: 'updateMany',
      filter: { $and: [{ n: { $type: 'number' } }, { 'n.0': { $exists: false } }] },
      update: { $inc: { n: 1 } },
    }),
    w('updateMany $inc on a string (error)', 'mixed', {
      kind: 'updateMany',
      filter: { _id: 'a' },
      update: { $inc: { n: 1 } },
    }),
    w('updateMany $addToSet', 'mixed', {
      kind: 'updateMany',
      filter: { tags: 'x', 'tags.0': { $exists: true } },
      update: { $addToSet: { tags: 'z' } },
    }),
    w('updateMany $addToSet existing value', 'mixed', {
      kind: 'updateMany',
      filter: { region: 'JKT', $or: [{ 'tags.0': { $exists: true } }, { tags: { $exists: false } }] },
      update: { $addToSet: { tags: 'x' } },
    }),
    w('updateMany $addToSet on a non-array (error)', 'mixed', {
      kind: 'updateMany',
      filter: { _id: 'a' },
      update: { $addToSet: { tags: 'z' } },
    }),
    w('updateMany $set dotted into a document', 'mixed', {
      kind: 'updateMany',
      filter: { 'nested.x': { $exists: true } },
      update: { $set: { 'nested.x': 'set', 'nested.new.deep': 1 } },
    }),
    w('updateMany positional $ into an array of documents (an error on FerretDB)', 'mixed', {
      kind: 'updateMany',
      filter: { 'docs.k': 'x' },
      update: { $set: { 'docs.$.k': 'X' } },
    }),
    w('updateMany $gt on _id strings', 'strid', {
      kind: 'updateMany',
      filter: { _id: { $gt: 'a' } },
      update: { $set: { n: -1 } },
    }),
    w('updateMany $or', 'strid', {
      kind: 'updateMany',
      filter: { $or: [{ region: 'SBY' }, { _id: '中文' }] },
      update: { $set: { n: 100 } },
    }),
    w('updateOne upsert inserts', 'strid', {
      kind: 'updateOne',
      filter: { _id: 'new!' },
      update: { $set: { region: 'JKT', code: 'C-NEW' } },
      upsert: true,
    }),
    w('updateOne upsert matches', 'strid', {
      kind: 'updateOne',
      filter: { _id: 'a b' },
      update: { $set: { region: 'JKT' } },
      upsert: true,
    }),
    w('updateOne upsert from equality filter', 'strid', {
      kind: 'updateOne',
      filter: { region: 'NEW', n: 7 },
      update: { $inc: { visits: 1 }, $setOnInsert: { _id: 'upserted' } },
      upsert: true,
    }),
    w('updateOne upsert with duplicate unique value (insert path)', 'strid', {
      kind: 'updateOne',
      filter: { _id: 'z' },
      update: { $set: { code: 'C-000' } },
      upsert: true,
    }),
    w('replaceOne', 'strid', {
      kind: 'replaceOne',
      filter: { _id: 'émoji😀' },
      replacement: { region: 'MDN', code: 'C-R' },
    }),
    w('findOneAndUpdate sort _id desc', 'strid', {
      kind: 'findOneAndUpdate',
      filter: { region: 'JKT' },
      update: { $set: { n: 50 } },
      sort: { _id: -1 },
    }),
    w('findOneAndUpdate upsert', 'strid', {
      kind: 'findOneAndUpdate',
      filter: { _id: 'zz' },
      update: { $set: { code: 'C-ZZ' } },
      upsert: true,
    }),
    w('deleteOne by _id', 'strid', { kind: 'deleteOne', filter: { _id: '' } }),
    w('deleteOne by _id twin ObjectId', 'mixed', { kind: 'deleteOne', filter: { _id: new ObjectId(TWIN_HEX) } }),
    w('deleteMany $in', 'strid', {
      kind: 'deleteMany',
      filter: { _id: { $in: ['a', 'a!', '<tag>', '中文', 'nope'] } },
    }),
    w('deleteMany $in of 20,003 values (0016)', 'strid', {
      kind: 'deleteMany',
      filter: { _id: { $in: largeIn(20_000, ['a', TWIN_HEX, '中文']) } },
    }),
    w('deleteMany $nin of 20,003 values (0016)', 'mixed', {
      kind: 'deleteMany',
      filter: { _id: { $nin: largeIn(20_000, ['a', new ObjectId(TWIN_HEX), 1]) } },
    }),
    w('deleteMany array contains', 'mixed', { kind: 'deleteMany', filter: { tags: 'x' } }),
    w('deleteMany dotted', 'mixed', { kind: 'deleteMany', filter: { 'nested.x': { $exists: true } } }),
    w('deleteMany _id range', 'strid', {
      kind: 'deleteMany',
      filter: { _id: { $gte: 'WNA-00012', $lte: 'WNA-000124' } },
    }),
    w('deleteMany region null', 'mixed', { kind: 'deleteMany', filter: { region: null } }),
    w('insertOne duplicate _id', 'strid', { kind: 'insertOne', document: { _id: 'a', code: 'C-X' } }),
    w('insertOne duplicate unique field', 'strid', { kind: 'insertOne', document: { _id: 'fresh', code: 'C-001' } }),
    w('insertOne ObjectId twin of an existing string _id', 'strid', {
      kind: 'insertOne',
      document: { _id: new ObjectId(TWIN_HEX), code: 'C-OID' },
    }),
  ];
}

/** Pools the property test draws filters from. */
export const FILTER_FIELDS = [
  '_id',
  'region',
  's',
  'n',
  'tags',
  'docs.k',
  'nested.x',
  'foreignerId',
  'status',
  'code',
  'missing',
] as const;

export const FILTER_VALUES: unknown[] = [
  ...ADVERSARIAL_STRINGS,
  'JKT',
  'BALI',
  'bali',
  'x',
  'y',
  'C-001',
  'ACTIVE',
  null,
  0,
  1,
  new Long(1),
  new Double(1),
  2.5,
  -4,
  new Long(4),
  true,
  false,
  new ObjectId(TWIN_HEX),
  new Date('2026-01-01T00:00:00Z'),
  { a: 1 },
  ['x'],
  [],
];

/** `$inc` upserts of the hub's counters (ForeignerTallies) by `_id`, new documents taking a unique `code`. */
function counterUpserts(ids: readonly string[]): Doc[] {
  return ids.map((_id) => ({
    updateOne: {
      filter: { _id },
      update: { $inc: { n: 1 }, $setOnInsert: { region: 'NEW', code: `K-${_id}` } },
      upsert: true,
    },
  }));
}

const newIds = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);

/**
 * Update commands of many statements on `strid` (27 documents, a unique `code`), sent with
 * `bulkWrite` (patch 0021). Every statement that matches a document held a pool connection on the
 * released build until the command returned, and 100 of them never return; so each case matches
 * fewer than 100 documents, and the differential test runs them one at a time, so that the
 * released build answers. The batches beyond that are in the test of 0021's defect.
 */
export function upsertBatchCases(): Case<WriteOperation>[] {
  const existing = [...ADVERSARIAL_STRINGS];
  const b = (name: string, operations: Doc[], ordered: boolean): Case<WriteOperation> => ({
    name: `strid: ${name} (${ordered ? 'ordered' : 'unordered'}, 0021)`,
    collection: 'strid',
    op: { kind: 'bulkWrite', operations, ordered },
  });
  // the existing documents among new ones: 27 statements match, 150 insert
  const mixed = counterUpserts([...newIds('cell', 150), ...existing].sort());
  // each new _id twice and each existing one twice: the second statement of a new _id matches what the first inserted
  const repeated = counterUpserts([...newIds('twice', 30), ...existing, ...newIds('twice', 30), ...existing]);
  // the 81st statement $inc's a string: TypeMismatch midway
  const typeError = [
    ...counterUpserts(newIds('before', 80)),
    { updateOne: { filter: { _id: 'a' }, update: { $inc: { code: 1 } }, upsert: true } },
    ...counterUpserts([...newIds('after', 60), ...existing]),
  ];
  // the 61st inserts an existing unique code: DuplicateKey midway (the insert path answers 11000 on both builds)
  const duplicateKey = [
    ...counterUpserts([...existing, ...newIds('pre', 34)]),
    { updateOne: { filter: { _id: 'dup' }, update: { $set: { code: 'C-001' } }, upsert: true } },
    ...counterUpserts(newIds('post', 60)),
  ];
  // other statement kinds among the upserts: updateMany, replaceOne with upsert, a filter on the unique field
  const kinds = [
    ...counterUpserts(newIds('k', 40)),
    { updateMany: { filter: { region: 'JKT' }, update: { $inc: { n: 10 } } } },
    { replaceOne: { filter: { _id: 'b' }, replacement: { code: 'C-B', n: 0 }, upsert: true } },
    { replaceOne: { filter: { _id: 'k-new' }, replacement: { code: 'C-KNEW', n: 0 }, upsert: true } },
    ...newIds('k', 40).map((id) => ({
      updateOne: { filter: { code: `K-${id}` }, update: { $inc: { n: 1 } }, upsert: true },
    })),
    { updateOne: { filter: { code: 'K-absent' }, update: { $setOnInsert: { _id: 'by-code' } }, upsert: true } },
    ...counterUpserts(existing),
  ];
  return [true, false].flatMap((ordered) => [
    b('177 upserts, 27 matching', mixed, ordered),
    b('114 upserts of repeated _ids, 84 matching', repeated, ordered),
    b('an upsert $inc of a string midway', typeError, ordered),
    b('an upsert of a duplicate unique value midway', duplicateKey, ordered),
    b('upserts, updateMany and replaceOne', kinds, ordered),
  ]);
}
