/** The zod building blocks several configuration concerns share: ports, URLs, database names. */
import { z } from 'zod';
import { DEFAULT_PORTS, defaultDbName, type SubgraphName } from './services.js';

export const port = z.coerce.number().int().min(0).max(65535);
export const mongoUri = z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://');
export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
export const dbName = (name: SubgraphName) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1 to 63 letters, digits, "_" or "-"')
    .default(defaultDbName(name));

/** The default address of a subgraph's GraphQL endpoint (`<PREFIX>_URL`), as the gateway reads it too. */
export function subgraphUrlSchema(name: SubgraphName) {
  return httpUrl.default(`http://127.0.0.1:${DEFAULT_PORTS[name]}/graphql`);
}
