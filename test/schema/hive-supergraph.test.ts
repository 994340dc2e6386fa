/**
 * The supergraph the benchmark gives Hive Gateway (scripts/bench/hive-supergraph.ts): Hive can
 * build its schema from it (graphql-tools' stitching refuses the hub's own supergraph, see
 * there), and the benchmark's workloads are planned on it exactly as on the hub's.
 */
import { operationFromDocument, Supergraph } from '@apollo/federation-internals';
import { prettyFormatQueryPlan, QueryPlanner } from '@apollo/query-planner';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { parse } from 'graphql';
import { committedSupergraph } from '../../schema/compose.js';
import { hiveSupergraph } from '../../scripts/bench/hive-supergraph.js';
import { workloads } from '../../scripts/bench/workloads.js';

const hubSdl = committedSupergraph();
const hiveSdl = hiveSupergraph();

it('Hive Gateway builds its schema from the benchmark’s supergraph', () => {
  const schema = getStitchedSchemaFromSupergraphSdl({ supergraphSdl: hiveSdl });
  const hubQueries = Object.keys(Supergraph.build(hubSdl!).apiSchema().toGraphQLJSSchema().getQueryType()!.getFields());
  expect(Object.keys(schema.getQueryType()!.getFields()).sort()).toEqual(hubQueries.sort());
});

it('every benchmark workload has the same query plan on Hive’s supergraph as on the hub’s', () => {
  const plans = (sdl: string) => {
    const supergraph = Supergraph.build(sdl);
    const planner = new QueryPlanner(supergraph);
    return workloads(1).map(({ name, query, operationName }) => {
      const operation = operationFromDocument(supergraph.schema, parse(query), { operationName });
      return { name, plan: prettyFormatQueryPlan(planner.buildQueryPlan(operation)) };
    });
  };
  const hubPlans = plans(hubSdl!);
  expect(hubPlans.every(({ plan }) => plan.includes('Fetch(service:'))).toBe(true);
  expect(plans(hiveSdl)).toEqual(hubPlans);
});
