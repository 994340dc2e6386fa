/**
 * A hub whose subgraphs witness each other's access-log heads: fixed ports, so that each
 * subgraph knows where its peers answer, and witnessing only when the test says.
 */
import { SUBGRAPH_ENV_PREFIX, SUBGRAPH_NAMES } from '../../common/config/services.js';
import { freePort } from '../../common/db/ferretdb.js';
import type { TestHub } from './hub.js';

/** The subgraphs' ports and where each finds its peers, with the witnessing interval out of the way. */
export async function peerEnv(): Promise<Record<string, string>> {
  const env: Record<string, string> = { ACCESS_LOG_WITNESS_INTERVAL_S: '3600' };
  for (const name of SUBGRAPH_NAMES) {
    const port = await freePort();
    env[`${SUBGRAPH_ENV_PREFIX[name]}_PORT`] = String(port);
    env[`${SUBGRAPH_ENV_PREFIX[name]}_URL`] = `http://127.0.0.1:${port}/graphql`;
  }
  return env;
}

/** Every other agency countersigns the current heads. */
export async function witnessAll(hub: TestHub): Promise<void> {
  for (const name of SUBGRAPH_NAMES) {
    for (const outcome of await hub.subgraphs[name].witness.round()) expect(outcome).not.toHaveProperty('error');
  }
}
