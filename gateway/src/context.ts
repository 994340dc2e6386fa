/**
 * What the gateway knows of a request once its token is verified (built in server.ts's context
 * function): the caller, the purpose, the request id, the language of messages, and what it
 * forwards to every subgraph fetch. Apart from the server so its plugins (plugins.ts) can name it.
 */
import type { Caller } from '../../common/auth/tokens.js';
import type { Language } from '../../common/i18n/language.js';
import type { Logger } from '../../common/logger.js';

/** A gateway request's context. */
export interface GatewayContext {
  caller: Caller;
  authorization: string;
  /** The stated purpose, read as UTF-8 (null when none). */
  purpose: string | null;
  /** The `X-Purpose` header as received (bytes), forwarded unchanged to the subgraphs. */
  purposeHeader: string | null;
  requestId: string;
  log: Logger;
  /** The partner's registered operation this request matched, vouched for to the subgraphs. */
  trustedOperation?: string;
  /** The client's `Idempotency-Key` with the fingerprint of its request, forwarded to every subgraph fetch. */
  idempotency: { key: string; fingerprint: string } | null;
  /** The language chosen for this request's messages, forwarded to every subgraph as `Accept-Language`. */
  language: Language;
}
