/**
 * The trigrams of a name (common/name-trigrams.ts): case folding by code point, and the proof
 * that it is a superset condition for FerretDB's case-insensitive regex, which is Go's: every
 * simple case-folding orbit of the local Go toolchain (`unicode.SimpleFold`, what `(?i)` matches
 * a literal against) folds to one code point.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  foldForSearch,
  MAX_SEARCH_TRIGRAMS,
  nameContainsCondition,
  nameFields,
  nameTrigrams,
  searchTrigrams,
  trigramSafe,
} from '../../common/name-trigrams.js';

const ORBITS_PROGRAM = `package main

import (
	"fmt"
	"unicode"
)

// every orbit of more than one code point, each once, from its smallest member
func main() {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		f := unicode.SimpleFold(r)
		if f == r || !smallest(r) {
			continue
		}
		fmt.Print(r)
		for g := f; g != r; g = unicode.SimpleFold(g) {
			fmt.Print(" ", g)
		}
		fmt.Println()
	}
}

func smallest(r rune) bool {
	for g := unicode.SimpleFold(r); g != r; g = unicode.SimpleFold(g) {
		if g < r {
			return false
		}
	}
	return true
}
`;

/** Go's case-folding orbits, by the Go toolchain that builds the embedded FerretDB. */
async function goOrbits(): Promise<number[][]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fold-orbits-'));
  try {
    await fs.writeFile(path.join(dir, 'main.go'), ORBITS_PROGRAM);
    const env = {
      ...process.env,
      PATH: `${process.env.PATH ?? ''}:/usr/local/go/bin`,
      GOTOOLCHAIN: 'local',
      GO111MODULE: 'off',
      GOFLAGS: '',
    };
    const { stdout } = await promisify(execFile)('go', ['run', 'main.go'], { cwd: dir, env, maxBuffer: 1 << 24 });
    return stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' ').map(Number));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

describe('foldForSearch', () => {
  it('folds case code point by code point, the Kelvin sign and the long s to ASCII', () => {
    expect(foldForSearch('WANG Lei')).toBe('wang lei');
    expect(foldForSearch('\u212Aevin Hanſ')).toBe('kevin hans');
    expect(foldForSearch('\u212Bsa')).toBe('åsa');
    expect(foldForSearch('ΣΊΣΥΦΟΣ σίσυφος')).toBe('σίσυφοσ σίσυφοσ');
    expect(foldForSearch('ẞ ß')).toBe('ß ß');
    // U+0130 lowercases to two code points: kept as it is, its orbit in Go has no other member
    expect([...foldForSearch('İsmail')]).toHaveLength(6);
    expect(foldForSearch('王小明 김민준')).toBe('王小明 김민준');
  });

  it("maps every member of each of Go's case-folding orbits to one code point", async () => {
    const orbits = await goOrbits();
    // Go's tables hold thousands of orbits (2,800 in Unicode 15)
    expect(orbits.length).toBeGreaterThan(1000);
    const split = orbits.filter(
      (orbit) => new Set(orbit.map((c) => foldForSearch(String.fromCodePoint(c)))).size !== 1,
    );
    expect(split.map((orbit) => orbit.map((c) => c.toString(16)))).toEqual([]);
    for (const orbit of orbits) {
      for (const c of orbit) expect([...foldForSearch(String.fromCodePoint(c))]).toHaveLength(1);
    }
  }, 120_000);
});

describe('nameTrigrams', () => {
  it('takes the distinct trigrams of code points, in order of first appearance', () => {
    expect(nameTrigrams('Wang Wang')).toEqual(['wan', 'ang', 'ng ', 'g w', ' wa']);
    expect(nameTrigrams('Li')).toEqual([]);
    expect(nameTrigrams('𠀀𠀁𠀂𠀃')).toEqual(['𠀀𠀁𠀂', '𠀁𠀂𠀃']);
    expect(nameFields('Ab\u212A')).toEqual({ fullName: 'Ab\u212A', nameTrigrams: ['abk'] });
  });
});

describe('searchTrigrams', () => {
  it('keeps the regex alone for fragments under four code points or with a code point it cannot vouch for', () => {
    expect(searchTrigrams('wa')).toBeNull();
    expect(searchTrigrams('ang')).toBeNull();
    expect(searchTrigrams('aaaa')).toBeNull(); // one distinct trigram
    expect(searchTrigrams('𠀀𠀁𠀂𠀃')).toBeNull();
    expect(searchTrigrams('ab\u0301cd')).toBeNull();
    expect(searchTrigrams('a\tbc')).toBeNull();
    expect(searchTrigrams('王小明')).toBeNull();
    expect(searchTrigrams('王小明a')).toEqual(['王小明', '小明a']);
    expect(trigramSafe('王')).toBe(true);
    expect(trigramSafe('\u0301')).toBe(false);
  });

  it(`asks for at most ${MAX_SEARCH_TRIGRAMS} trigrams, spread from the first to the last`, () => {
    expect(searchTrigrams('WANG')).toEqual(['wan', 'ang']);
    const long = searchTrigrams('abcdefghijklmnop')!;
    expect(long).toHaveLength(MAX_SEARCH_TRIGRAMS);
    expect(long[0]).toBe('abc');
    expect(long.at(-1)).toBe('nop');
  });

  it('builds equality on the array for each trigram, then the escaped regex', () => {
    expect(nameContainsCondition('a.b(', true)).toEqual({
      $and: [{ nameTrigrams: 'a.b' }, { nameTrigrams: '.b(' }, { fullName: { $regex: 'a\\.b\\(', $options: 'i' } }],
    });
    expect(nameContainsCondition('a.b(', false)).toEqual({ fullName: { $regex: 'a\\.b\\(', $options: 'i' } });
  });
});
