/**
 * The peer gateway of the benchmark: Hive Gateway (`@graphql-hive/gateway`) with Hive Router's
 * Rust query planner (`@graphql-hive/router-runtime`), serving the hub's supergraph over the
 * same three subgraphs, on `node:http` (composed from the subgraphs' SDL with the three types
 * graphql-tools cannot stitch renamed for Hive alone: `hive-supergraph.ts`). It is configured
 * like the hub's gateway where that matters for the comparison: it verifies the caller's token
 * before planning (401 otherwise) and forwards `Authorization`, `X-Purpose` and `X-Request-Id`
 * to every subgraph, which verify the token again; it signs every subgraph fetch with the
 * gateway's key as the hub's gateway does (the subgraphs answer `_entities` only to the
 * gateway). Everything else is Hive Gateway's defaults.
 *
 * Configuration comes from the gateway's environment (`GATEWAY_PORT`, `<PREFIX>_URL`,
 * `DATA_DIR` for the development keys), as for the hub's gateway:
 *
 *   GATEWAY_PORT=4190 node --import tsx scripts/bench/hive-gateway.ts
 */
import http from 'node:http';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import {
  GATEWAY_SIGNATURE_HEADER,
  createGatewaySigner,
  type GatewaySigner,
} from '../../common/auth/gateway-signature.js';
import { createTokenVerifier, type TokenVerifier } from '../../common/auth/tokens.js';
import { loadGatewayConfig } from '../../common/config/gateway.js';
import { AuthenticationError } from '../../common/errors.js';
import { PURPOSE_HEADER, REQUEST_ID_HEADER } from '../../common/server/request-headers.js';
import { hiveSupergraph } from './hive-supergraph.js';

/** 401 before planning when the token does not verify, as the hub's gateway answers. */
function tokenPlugin(verify: TokenVerifier): GatewayPlugin {
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname !== '/graphql') return;
      try {
        await verify(request.headers.get('authorization') ?? undefined);
      } catch (e) {
        const message = e instanceof AuthenticationError ? e.message : 'Token verification failed';
        endResponse(
          fetchAPI.Response.json({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }, { status: 401 }),
        );
      }
    },
  };
}

/** Signs each subgraph fetch as sent (after every other plugin set its headers), as the hub's gateway does. */
function signingPlugin(sign: GatewaySigner, subgraphOf: Map<string, string>): GatewayPlugin {
  return {
    onFetch({ url, setFetchFn, fetchFn }) {
      const subgraph = subgraphOf.get(url);
      if (!subgraph) return;
      setFetchFn(async (target, init, ...rest) => {
        const headers = new Headers(init?.headers as HeadersInit | undefined);
        const body = typeof init?.body === 'string' ? init.body : '';
        headers.set(GATEWAY_SIGNATURE_HEADER, await sign(subgraph, body, (name) => headers.get(name) ?? undefined));
        return fetchFn(target, { ...init, headers: Object.fromEntries(headers) }, ...rest);
      });
    },
  };
}

const config = loadGatewayConfig();
const sign = await createGatewaySigner(config.gatewayKey);
const subgraphOf = new Map(Object.entries(config.subgraphs).map(([name, url]) => [url, name]));
const verify = await createTokenVerifier(config.auth);
const gateway = createGatewayRuntime({
  supergraph: hiveSupergraph(config.subgraphs),
  unifiedGraphHandler,
  logging: 'warn',
  graphqlEndpoint: '/graphql',
  landingPage: false,
  propagateHeaders: {
    fromClientToSubgraphs: ({ request }) => ({
      authorization: request.headers.get('authorization'),
      [PURPOSE_HEADER]: request.headers.get(PURPOSE_HEADER),
      // Hive Gateway also sends its own request id (the client's when given) under this name
      [REQUEST_ID_HEADER]: request.headers.get(REQUEST_ID_HEADER),
    }),
  },
  plugins: () => [tokenPlugin(verify), signingPlugin(sign, subgraphOf)],
});

const server = http.createServer(gateway);
server.keepAliveTimeout = 65_000;
server.listen(config.port, config.host, () => {
  process.stdout.write(`hive gateway ready on http://${config.host}:${config.port}/graphql\n`);
});

const stop = () => {
  server.close();
  void Promise.resolve(gateway.dispose()).then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
