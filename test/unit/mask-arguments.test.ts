/**
 * The filter an access-log record keeps: the arguments named in `DISCLOSING_QUERIES` as given,
 * every other value — however deep, whatever its type — as `[disamarkan]`.
 */
import { MASKED_VALUE, maskArguments } from '../../common/audit/disclosed-queries.js';
import { DISCLOSING_QUERIES } from '../../common/auth/policy.js';

it('keeps public values, masks the rest at any depth, keeps null as no condition', () => {
  const args = {
    filter: {
      nameContains: 'Chen',
      nationality: 'CHN',
      permitTypes: ['LIMITED_STAY', 'PERMANENT_STAY'],
      permitExpiresBefore: new Date('2027-01-01T00:00:00Z'),
      regionCode: null,
      future: { nested: 'Jalan Merdeka 1' },
    },
    first: 20,
    after: undefined,
  };
  expect(maskArguments(args, DISCLOSING_QUERIES.foreigners!)).toEqual({
    filter: {
      nameContains: MASKED_VALUE,
      nationality: 'CHN',
      permitTypes: ['LIMITED_STAY', 'PERMANENT_STAY'],
      permitExpiresBefore: new Date('2027-01-01T00:00:00Z'),
      regionCode: null,
      future: { nested: MASKED_VALUE },
    },
    first: 20,
  });
});

it('masks every argument of a query that names none (a stay-permit check)', () => {
  expect(
    maskArguments({ permitNumber: 'ITAS1', passportNumber: 'E1234567' }, DISCLOSING_QUERIES.verifyStayPermit!),
  ).toEqual({ permitNumber: MASKED_VALUE, passportNumber: MASKED_VALUE });
});

it('masks a list at a path not named, rather than keeping its items', () => {
  expect(maskArguments({ ids: ['a', 'b'] }, [])).toEqual({ ids: MASKED_VALUE });
});
