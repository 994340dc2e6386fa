/**
 * Attack class: disclosures that left no record (issue 10, failure 6). A listing that returns only
 * ids (or only `totalCount`, or only a cursor) links its filter — a name, a nationality, a region —
 * to those ids; counts and lookups answer about foreigners too. Each must leave an access-log
 * record with the filter (personal values masked) and the ids served, at the gateway and at each
 * subgraph reached directly. Replays and auditors: disclosure-replay-and-audit.test.ts.
 */
import fs from 'node:fs';
import { MASKED_VALUE } from '../../common/audit/disclosed-queries.js';
import { useDisclosureHub } from '../helpers/disclosure.js';
import type { FullForeigner } from '../helpers/fixtures.js';
import { expectError, graphql } from '../helpers/graphql.js';
import type { TestHub } from '../helpers/hub.js';

const disclosure = useDisclosureHub('disclosure-records');
const { attempt, URL_OF, recordsLeft, oneRecord } = disclosure;

let hub: TestHub;
let oku: FullForeigner;
let immigration: string;
let police: string;
let localgov: string;
let partner: string;

beforeAll(() => {
  ({ hub, oku, immigration, police, localgov, partner } = disclosure.current());
});

describe('listings, counts and lookups leave a record with the filter and the ids served', () => {
  const ID_ONLY = `query Ids($filter: ForeignerFilter) { foreigners(filter: $filter, first: 50) { nodes { id } } }`;
  const COUNT_ONLY = `query Count($filter: ForeignerFilter) { foreigners(filter: $filter) { totalCount } }`;
  const CURSOR_ONLY = `query Cursor($filter: ForeignerFilter) { foreigners(filter: $filter, first: 1) { pageInfo { endCursor } } }`;
  const filter = { nameContains: 'Chen Ji', nationality: 'CHN', regionCode: '16.01', permitType: 'LIMITED_STAY' };

  for (const target of ['gateway', 'immigration'] as const) {
    it(`an id-only listing by name (${target}): the filter with the name masked, and the ids`, async () => {
      attempt('id-only listing');
      const {
        response,
        record,
        filter: recorded,
      } = await oneRecord('immigration', () =>
        graphql(URL_OF(target), ID_ONLY, { token: immigration, variables: { filter } }),
      );
      const ids = (response.data as { foreigners: { nodes: { id: string }[] } }).foreigners.nodes.map((n) => n.id);
      expect(ids).toContain(oku.foreignerId);
      expect(recorded).toEqual([
        {
          field: 'foreigners',
          arguments: {
            filter: { nameContains: MASKED_VALUE, nationality: 'CHN', regionCode: '16.01', permitType: 'LIMITED_STAY' },
            first: 50,
          },
        },
      ]);
      expect(record.recordIds).toEqual(ids.map((id) => `Foreigner:${id}`).sort());
      expect(record.foreignerIds).toEqual([...ids].sort());
      expect(record.recordRegions).toContainEqual({
        recordId: `Foreigner:${oku.foreignerId}`,
        regionCode: '16.01.14.1001',
      });
      expect(record.agency).toBe('KANIM-BATURAJA');
      // the name asked for is nowhere in the record
      expect(JSON.stringify(record)).not.toMatch(/Chen/);
    });

    it(`a totalCount-only listing (${target}): the filter, and no ids`, async () => {
      attempt('totalCount-only listing');
      const {
        response,
        record,
        filter: recorded,
      } = await oneRecord('immigration', () =>
        graphql(URL_OF(target), COUNT_ONLY, { token: immigration, variables: { filter } }),
      );
      expect((response.data as { foreigners: { totalCount: number } }).foreigners.totalCount).toBeGreaterThan(0);
      expect(recorded[0]!.arguments.filter).toEqual({
        nameContains: MASKED_VALUE,
        nationality: 'CHN',
        regionCode: '16.01',
        permitType: 'LIMITED_STAY',
      });
      expect(record.recordIds).toEqual([]);
    });

    it(`a cursor-only listing (${target}): the cursor is an id, so the row is recorded`, async () => {
      attempt('cursor-only listing');
      const { record } = await oneRecord('immigration', () =>
        graphql(URL_OF(target), CURSOR_ONLY, { token: immigration, variables: { filter } }),
      );
      expect(record.recordIds).toHaveLength(1);
    });

    it(`a lookup of one id (${target}): the id asked and the row found`, async () => {
      attempt('id-only lookup');
      const { record, filter: recorded } = await oneRecord('immigration', () =>
        graphql(
          URL_OF(target),
          `
            query ($id: ID!) {
              foreigner(id: $id) {
                id
              }
            }
          `,
          {
            token: immigration,
            variables: { id: oku.foreignerId },
          },
        ),
      );
      expect(recorded).toEqual([{ field: 'foreigner', arguments: { id: oku.foreignerId } }]);
      expect(record.recordIds).toEqual([`Foreigner:${oku.foreignerId}`]);
    });

    it(`statistics (${target}): a record with the region and grouping, no purpose needed`, async () => {
      attempt('statistics');
      const { record, filter: recorded } = await oneRecord('immigration', () =>
        graphql(
          URL_OF(target),
          `
            {
              foreignerStatistics(regionCode: "16.01", groupBy: [NATIONALITY]) {
                total
                groups {
                  nationality
                  count
                }
              }
            }
          `,
          { token: police, purpose: null },
        ),
      );
      expect(recorded).toEqual([
        {
          field: 'foreignerStatistics',
          // the population is recorded too: the schema's default when the caller names none
          arguments: { regionCode: '16.01', groupBy: ['NATIONALITY'], population: 'REGISTERED' },
        },
      ]);
      expect(record.purpose).toBeNull();
      expect(record.recordIds).toEqual([]);
    });
  }

  it('a partner’s registered count at the gateway is recorded too', async () => {
    attempt('statistics');
    const document = fs.readFileSync(
      new URL('../../schema/operations/partner/ForeignerCountsByNationality.graphql', import.meta.url),
      'utf8',
    );
    const { record } = await oneRecord('immigration', () =>
      graphql(hub.gatewayUrl, document, { token: partner, variables: { regionCode: '16.01' }, purpose: null }),
    );
    expect(record.agencyType).toBe('PARTNER');
    expect(record.operationName).toBe('ForeignerCountsByNationality');
  });

  for (const target of ['gateway', 'police'] as const) {
    it(`incidents, ids or count only (${target})`, async () => {
      attempt('id-only listing');
      const { record } = await oneRecord('police', () =>
        graphql(
          URL_OF(target),
          `
            {
              incidents(filter: { regionCode: "16.01" }) {
                nodes {
                  id
                }
              }
            }
          `,
          { token: police },
        ),
      );
      expect(record.recordIds).toContain(`Incident:${oku.incidentId}`);
      expect(record.foreignerIds).toContain(oku.foreignerId);
      attempt('totalCount-only listing');
      const counted = await oneRecord('police', () =>
        graphql(
          URL_OF(target),
          `
            {
              incidents(filter: { regionCode: "16.01", category: THEFT }) {
                totalCount
              }
            }
          `,
          { token: police },
        ),
      );
      expect(counted.filter).toEqual([
        { field: 'incidents', arguments: { filter: { regionCode: '16.01', category: 'THEFT' }, first: 20 } },
      ]);
    });
  }

  for (const target of ['gateway', 'local-government'] as const) {
    it(`community reports and their statistics (${target})`, async () => {
      attempt('totalCount-only listing');
      const { filter: listed, record } = await oneRecord('local-government', () =>
        graphql(
          URL_OF(target),
          `
            {
              communityReports(filter: { regionCode: "16.01", reportedFrom: "2020-01-01T00:00:00Z" }) {
                totalCount
              }
            }
          `,
          { token: localgov },
        ),
      );
      expect(listed[0]!.arguments.filter).toEqual({ regionCode: '16.01', reportedFrom: '2020-01-01T00:00:00.000Z' });
      expect(record.recordIds).toEqual([]);
      attempt('statistics');
      const stats = await oneRecord('local-government', () =>
        graphql(
          URL_OF(target),
          `
            {
              communityReportStatistics(regionCode: "16.01") {
                total
              }
            }
          `,
          {
            token: localgov,
            purpose: null,
          },
        ),
      );
      expect(stats.filter).toEqual([
        { field: 'communityReportStatistics', arguments: { regionCode: '16.01', groupBy: ['CATEGORY'] } },
      ]);
    });
  }

  it('a refused listing (no purpose) discloses nothing and records no disclosure', async () => {
    attempt('refused listing');
    const { response, records } = await recordsLeft('immigration', () =>
      graphql(hub.subgraphs.immigration.url, ID_ONLY, { token: immigration, purpose: null, variables: { filter } }),
    );
    expectError(response, 'PURPOSE_REQUIRED');
    expect(records.filter((r) => r.filter)).toEqual([]);
  });
});
