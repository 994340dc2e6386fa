/**
 * The committed supergraph, and the API schema printed from it for client code generation,
 * are exactly what composing the subgraph SDL files gives today.
 */
import { committedApiSchema, committedSupergraph, composeApiSchema, composeSupergraph } from '../../schema/compose.js';

it('schema/supergraph.graphql is current (run `npm run compose` after changing a subgraph schema)', () => {
  expect(committedSupergraph()).toBe(composeSupergraph());
});

it('schema/api-schema.graphql is current (run `npm run compose` after changing a subgraph schema)', () => {
  expect(committedApiSchema()).toBe(composeApiSchema());
});
