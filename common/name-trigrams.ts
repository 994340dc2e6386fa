/**
 * Name search through an index: each foreigner carries `nameTrigrams`, the distinct trigrams
 * (three consecutive code points) of its name folded for case, in a multikey index. A search
 * for a fragment asks first for foreigners holding every trigram of the folded fragment (an
 * index lookup each, pushed down by the embedded FerretDB's patches 0003 and 0017), and only
 * then for the case-insensitive regex, which alone decides: the trigrams narrow, never widen.
 *
 * Why the answer stays exact: FerretDB matches `{ $regex: <escaped fragment>, $options: 'i' }`
 * with Go's regexp, where each literal code point of the fragment matches exactly one code point
 * of its simple case-folding orbit (`unicode.SimpleFold`). {@link foldForSearch} maps every member
 * of such an orbit to one code point, code point by code point, so a name matching the regex
 * holds, folded, the folded fragment, and with it each of its trigrams. A fragment with a code
 * point outside {@link trigramSafe} (where the two Unicode tables might disagree) keeps the regex
 * alone, as does one of fewer than two trigrams (under four code points, see
 * {@link MIN_SEARCH_TRIGRAMS}).
 */

/**
 * The two code points outside ASCII that Go's case-insensitive regexp matches to ASCII letters
 * and that `toLowerCase` leaves alone or maps elsewhere: U+212A KELVIN SIGN (k), U+017F LATIN
 * SMALL LETTER LONG S (s).
 */
const TO_ASCII: ReadonlyMap<string, string> = new Map([
  ['\u212A', 'k'],
  ['\u017F', 's'],
]);

/**
 * One code point folded for case: the Kelvin sign and the long s to ASCII, any other to the
 * lowercase of its uppercase (so σ and ς, µ and μ, ϑ and θ fold alike), each step kept only
 * when it gives one code point (ß uppercases to SS, U+0130 lowercases to two).
 */
function foldCodePoint(c: string): string {
  const ascii = TO_ASCII.get(c);
  if (ascii) return ascii;
  const upper = c.toUpperCase();
  const base = [...upper].length === 1 ? upper : c;
  const lower = base.toLowerCase();
  return [...lower].length === 1 ? lower : base;
}

/** `text` folded for case, code point by code point (the count of code points is kept). */
export function foldForSearch(text: string): string {
  let folded = '';
  for (const c of text) folded += foldCodePoint(c);
  return folded;
}

/** The distinct trigrams of `folded`'s code points, in order of first appearance. */
function trigramsOf(folded: string): string[] {
  const points = [...folded];
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= points.length; i++) trigrams.add(points[i]! + points[i + 1]! + points[i + 2]!);
  return [...trigrams];
}

/** The trigrams stored with a name (`nameTrigrams`): its code points folded for case, deduplicated. */
export function nameTrigrams(fullName: string): string[] {
  return trigramsOf(foldForSearch(fullName));
}

/**
 * The fields a write of a name sets: the name and its trigrams. Every write of `fullName` (a
 * new foreigner, an update, the seed, pseudonymisation) spreads this, so the two never part;
 * the foreigner model refuses a document or an update that sets one without the other.
 */
export function nameFields(fullName: string): { fullName: string; nameTrigrams: string[] } {
  return { fullName, nameTrigrams: nameTrigrams(fullName) };
}

/**
 * The code points a fragment may hold for the trigram path: scripts whose case pairs Unicode
 * settled long ago, so Go's tables (the FerretDB build's toolchain) and ICU's (Node's
 * `toUpperCase`/`toLowerCase`) agree on them even when their Unicode versions differ. For every
 * code point, {@link foldForSearch} maps its whole orbit in Go (`unicode.SimpleFold`) to one code
 * point; `name-trigrams.test.ts` checks that against the Go toolchain's own orbits. Left out,
 * so kept on the regex alone: control characters, combining marks, scripts cased recently
 * (Cherokee, Georgian Mtavruli, Osage, Adlam, …), symbols, and everything outside the BMP.
 */
const SAFE_RANGES: readonly (readonly [number, number])[] = [
  [0x20, 0x7e], // printable ASCII
  [0xa0, 0x24f], // Latin-1 Supplement, Latin Extended-A and -B
  [0x370, 0x3ff], // Greek and Coptic
  [0x400, 0x52f], // Cyrillic and its supplement
  [0x531, 0x58f], // Armenian
  [0x5d0, 0x5ff], // Hebrew letters
  [0x600, 0x6ff], // Arabic
  [0x900, 0x97f], // Devanagari
  [0xe00, 0xe7f], // Thai
  [0x1100, 0x11ff], // Hangul Jamo
  [0x1e00, 0x1fff], // Latin Extended Additional (Vietnamese), Greek Extended
  [0x2000, 0x206f], // general punctuation (spaces, dashes, quotes)
  [0x212a, 0x212b], // KELVIN SIGN and ANGSTROM SIGN (k and å)
  [0x3000, 0x30ff], // CJK punctuation, hiragana, katakana
  [0x3130, 0x318f], // Hangul compatibility Jamo
  [0x3400, 0x4dbf], // CJK Extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xac00, 0xd7a3], // Hangul syllables
];

/** Whether the code point `c` may take part in the trigram path (see {@link SAFE_RANGES}). */
export function trigramSafe(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return SAFE_RANGES.some(([from, to]) => cp >= from && cp <= to);
}

/** At most this many trigrams of a fragment are asked for, spread across it (the regex checks the rest). */
export const MAX_SEARCH_TRIGRAMS = 6;

/**
 * At least this many: a fragment of three code points has one trigram, and one trigram is often
 * common in names ("ang": 8,235 of 50,000 seeded WNA), where the page in `_id` order reads every
 * candidate before its first 100 (216 ms of FerretDB CPU against 24 for the regex alone; the
 * count costs ~280 ms either way); two already narrow well ("wang": 460 candidates for 403 matches).
 */
export const MIN_SEARCH_TRIGRAMS = 2;

/**
 * The trigrams a search for `fragment` asks every match to hold, or null when the fragment must
 * keep the regex alone: fewer than {@link MIN_SEARCH_TRIGRAMS} trigrams once folded (under four
 * code points), or holding a code point outside {@link trigramSafe}. Up to
 * {@link MAX_SEARCH_TRIGRAMS}, spread evenly from the first to the last; any subset of a superset
 * condition is one.
 */
export function searchTrigrams(fragment: string): string[] | null {
  if (![...fragment].every(trigramSafe)) return null;
  const all = trigramsOf(foldForSearch(fragment));
  if (all.length < MIN_SEARCH_TRIGRAMS) return null;
  if (all.length <= MAX_SEARCH_TRIGRAMS) return all;
  const step = (all.length - 1) / (MAX_SEARCH_TRIGRAMS - 1);
  return [...new Set(Array.from({ length: MAX_SEARCH_TRIGRAMS }, (_, i) => all[Math.round(i * step)]!))];
}

function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The condition "`fullName` contains `fragment`, case-insensitively": the regex, preceded by
 * one equality on `nameTrigrams` per trigram of {@link searchTrigrams} when `useTrigrams` (every
 * foreigner carries its trigrams: the backfill is done) and the fragment allows it. Equality
 * on the array, not `$all`: FerretDB's patches push only equality and `$in` down.
 */
export function nameContainsCondition(fragment: string, useTrigrams: boolean): Record<string, unknown> {
  const regex = { fullName: { $regex: escapeRegex(fragment), $options: 'i' } };
  const trigrams = useTrigrams ? searchTrigrams(fragment) : null;
  if (!trigrams) return regex;
  return { $and: [...trigrams.map((t) => ({ nameTrigrams: t })), regex] };
}
