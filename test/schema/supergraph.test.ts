/**
 * The committed supergraph is exactly what composing the subgraph SDL files gives today.
 */
import { committedSupergraph, composeSupergraph } from '../../schema/compose.js';

it('schema/supergraph.graphql is current (run `npm run compose` after changing a subgraph schema)', () => {
  expect(committedSupergraph()).toBe(composeSupergraph());
});
