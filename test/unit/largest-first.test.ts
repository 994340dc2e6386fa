/**
 * Statistics groups are published largest first, ties by their JSON text: the order made with
 * each group's text computed once is the order of comparing the texts with `localeCompare`.
 */
import { largestFirst } from '../../common/statistics/published-counts.js';

it('orders groups as comparing their JSON texts by localeCompare did', () => {
  const nationalities = ['CHN', 'KOR', 'ÅLA', 'aus', 'USA', 'ind', 'Ñ', null];
  const permits = ['ITAS', 'ITAP', 'VISIT', null];
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647);
  const groups = Array.from({ length: 400 }, () => ({
    nationality: nationalities[next() % nationalities.length]!,
    permitType: permits[next() % permits.length]!,
    count: next() % 6,
  }));
  const expected = [...groups].sort((a, b) => b.count - a.count || JSON.stringify(a).localeCompare(JSON.stringify(b)));
  expect(largestFirst([...groups])).toEqual(expected);
});
