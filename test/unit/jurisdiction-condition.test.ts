/**
 * A jurisdiction becomes a query condition an index can serve: one `$in` per region level,
 * `$or` only across levels; and the row predicate agrees with it.
 */
import { jurisdictionCondition, jurisdictionPredicate } from '../../common/auth/jurisdiction.js';
import type { Caller } from '../../common/auth/tokens.js';
import { regionAncestryFields } from '../../common/regions.js';
import { DOMICILE_FIELDS } from '../../subgraphs/immigration/src/services/foreigner-filters.js';

const caller = (jurisdiction: string[]): Caller => ({
  subject: 'test',
  agency: 'KANIM-BATURAJA',
  agencyType: 'IMMIGRATION',
  scopes: new Set(),
  jurisdiction,
});

describe('jurisdictionCondition', () => {
  it('is no condition for a national caller', () => {
    expect(jurisdictionCondition(caller(['*']), DOMICILE_FIELDS)).toBeNull();
  });

  it('is an equality for one region', () => {
    expect(jurisdictionCondition(caller(['16.01']), DOMICILE_FIELDS)).toEqual({ domicileRegency: '16.01' });
  });

  it('is one $in for regions of one level, without $or', () => {
    expect(jurisdictionCondition(caller(['16.01', '16.08', '16.09']), DOMICILE_FIELDS)).toEqual({
      domicileRegency: { $in: ['16.01', '16.08', '16.09'] },
    });
  });

  it('joins different levels with $or, one condition per level', () => {
    expect(jurisdictionCondition(caller(['16.01', '17', '16.08', '16.09.01.1013']), DOMICILE_FIELDS)).toEqual({
      $or: [
        { domicileRegency: { $in: ['16.01', '16.08'] } },
        { domicileProvince: '17' },
        { domicileRegionCode: '16.09.01.1013' },
      ],
    });
  });

  it('agrees with the row predicate', () => {
    const allow = jurisdictionPredicate(caller(['16.01', '16.08.01']), DOMICILE_FIELDS)!;
    const row = (code: string) => regionAncestryFields(code, DOMICILE_FIELDS);
    expect(allow(row('16.01.14.1001'))).toBe(true);
    expect(allow(row('16.08.01.1007'))).toBe(true);
    expect(allow(row('16.08.02.2001'))).toBe(false);
    expect(allow(row('17.01'))).toBe(false);
  });
});
