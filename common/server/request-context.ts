/**
 * What a subgraph knows of a request before any resolver runs, built by the shared server
 * (subgraph-server.ts) from the request's token and headers (request-headers.ts). A module of
 * its own so that the server's plugins (access log, idempotency, disclosed queries) and each
 * subgraph's context can name it without importing the server that installs them.
 */
import type { AccessLog } from '../audit/access-log.js';
import type { WitnessStore } from '../audit/witness.js';
import type { DisclosureCollector, PermissionContext } from '../auth/permissions.js';
import type { Caller } from '../auth/tokens.js';
import type { Logger } from '../logger.js';

/** What every request knows before a resolver runs. */
export interface RequestInfo extends PermissionContext {
  caller: Caller;
  /** The stated purpose (`X-Purpose`), recorded with every disclosure. */
  purpose: string | null;
  requestId: string;
  log: Logger;
  /** What this request discloses; appended to the access log when it ends. */
  disclosures: DisclosureCollector;
  /** This subgraph's access log (auditors read it through `AccessLog`). */
  accessLog: AccessLog;
  /** The heads of the other agencies' chains this agency countersigned (subject-access reports check them). */
  witnesses: WitnessStore;
  /** The client's operation name when the gateway forwarded it. */
  clientOperationName: string | null;
  /** Whether the gateway signed this request (common/server/gateway-trust.ts); false for a direct caller. */
  viaGateway: boolean;
}
