/**
 * Attacks on the hub's capacity by the shape of a query, made at the gateway and straight at each
 * subgraph's port with a member token (unsigned, as a member agency reaching the port would; and
 * signed as the gateway, whose requests obey the same limits): the 30-alias, 14-deep
 * `region { parent { children … } }` query that once took local-government to a 3.9 GB heap,
 * alias bombs, deep nesting, duplicated fields, huge token counts, directive overload, fragment
 * bombs and field suggestions. Every refusal names its limit, and a refused operation runs no
 * resolver: each subgraph's `timpora_resolver_calls_total` (counted by the resolvers' own
 * instrumentation) does not move, nor does the gateway's count of subgraph fetches. The heap
 * figures it prints are taken after a full collection when node runs with `--expose-gc` (add it
 * to NODE_OPTIONS). Oversized bodies and answers: operation-limits-body-and-answer.test.ts.
 */
import type { SubgraphName } from '../../common/config/services.js';
import {
  canCollect,
  expectRefused,
  heapMB,
  ofTypeChain,
  regionBomb,
  useLimitsHub,
} from '../helpers/operation-limits.js';

const { TARGETS, attack, figures } = useLimitsHub('operation_limits');

/** A page of 1,000 of each subgraph with a list in each item: 11,001 objects estimated, within the cost limit. */
const PAGE: Record<SubgraphName, string> = {
  immigration: 'foreigners(first: 1000) { nodes { stayPermits { __typename } } }',
  police: 'incidents(first: 1000) { nodes { parties { __typename } } }',
  'local-government': 'regions(first: 1000) { nodes { children { __typename } } }',
};

/** A page of 1,000 of each subgraph with lists in lists: over the cost limit. */
const COSTLY: Record<SubgraphName, string> = {
  immigration:
    'foreigners(first: 1000) { nodes { stayPermits { __typename } borderCrossings { __typename } ' +
    'immigrationActions { __typename } } edges { node { stayPermits { __typename } borderCrossings { __typename } } } }',
  police: 'incidents(first: 1000) { nodes { parties { foreigner { incidents { id } } } } }',
  'local-government': 'regions(first: 1000) { nodes { children { children { code } } } }',
};

describe('the region bomb that killed local-government (30 aliases, 14 deep)', () => {
  const bomb = regionBomb(30, 14);
  const targets = TARGETS.filter((t) => t.subgraph === null || t.subgraph === 'local-government');

  it.each(targets)('is refused at once at $label, naming the limit, the heap bounded', async (target) => {
    const heapBefore = heapMB();
    const response = await attack('region bomb', target, bomb);
    const heapAfter = heapMB();
    // depth is checked first among the validation rules; the aliases are over too
    expectRefused(response, 'depth', 10);
    expect(response.errors!.map((e) => e.extensions?.limit)).toEqual(['depth', 'aliases']);
    expect(response.ms).toBeLessThan(2000);
    if (canCollect) expect(heapAfter - heapBefore).toBeLessThan(64);
    figures[`region bomb at ${target.label}`] = {
      ms: Math.round(response.ms),
      heapBeforeMB: heapBefore,
      heapAfterMB: heapAfter,
    };
  });
});

describe.each(TARGETS)('at $label', (target) => {
  const served = target.subgraph ?? 'local-government';

  it('refuses deep nesting (the introspection chain, which every schema answers)', async () => {
    expectRefused(await attack('deep nesting', target, ofTypeChain(12)), 'depth', 10);
  });

  it('refuses an alias bomb', async () => {
    const aliases = Array.from({ length: 500 }, (_, i) => `a${i}: __typename`).join(' ');
    expectRefused(await attack('alias bomb', target, `{ ${aliases} }`), 'aliases', 20);
  });

  it('refuses a cost over the limit, page sizes and nested lists multiplied', async () => {
    expectRefused(await attack('cost', target, `{ ${COSTLY[served]} }`), 'cost', 50_000);
  });

  it('refuses duplicated fields by their cost, though they merge into one answer', async () => {
    const copies = Array.from({ length: 5 }, () => PAGE[served]).join(' ');
    expectRefused(await attack('field duplication', target, `{ ${copies} }`), 'cost', 50_000);
  });

  it('refuses a huge token count before parsing', async () => {
    const response = await attack('tokens', target, `{ ${'__typename '.repeat(2100)}}`);
    expectRefused(response, 'tokens', 2000);
    expect(response.ms).toBeLessThan(2000);
  });

  it('refuses directive overload', async () => {
    const fields = Array.from({ length: 50 }, () => '__typename @include(if: true) @skip(if: false)').join(' ');
    expectRefused(await attack('directives', target, `{ ${fields} }`), 'directives', 10);
  });

  it('answers a fragment bomb (each fragment spread twice in the one before: 2^40 spreads) at once', async () => {
    const fragments = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Query { __typename${i < 39 ? ` ...F${i + 1} ...F${i + 1}` : ''} }`,
    ).join(' ');
    const started = performance.now();
    const response = await attack('fragment bomb', target, `{ ...F0 } ${fragments}`);
    expect(response).toMatchObject({ status: 200, data: { __typename: 'Query' } });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('suggests no field, argument or enum value', async () => {
    const typos = {
      gateway: [
        '{ foreignrs { totalCount } }',
        '{ regions(firs: 1) { totalCount } }',
        '{ regions(level: PROVINSE) { totalCount } }',
      ],
      immigration: [
        '{ foreignrs { totalCount } }',
        '{ foreigners(firs: 1) { totalCount } }',
        '{ agencies(type: POLIS) { code } }',
      ],
      police: [
        '{ incidens { totalCount } }',
        '{ incidents(firs: 1) { totalCount } }',
        '{ incident(id: "x") { categori } }',
      ],
      'local-government': [
        '{ region { code } }',
        '{ regions(firs: 1) { totalCount } }',
        '{ regions(level: PROVINSE) { totalCount } }',
      ],
    }[target.subgraph ?? 'gateway'];
    for (const typo of typos) {
      const response = await attack('suggestions', target, typo);
      expect(response.status).toBe(400);
      expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(response.errors)).not.toMatch(
        /Did you mean|\\"(foreigners|incidents|regions|first|POLICE|PROVINCE|category)\\"/,
      );
    }
  });
});
