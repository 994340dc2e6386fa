/**
 * Witnesses: each agency's subgraph periodically fetches the other agencies' chain heads
 * (sequence number, hash, time of the last record) and stores each, signed with its own
 * access-log key, in its own database. A witnessed head pins the whole chain up to it (each
 * hash covers the one before), so rewriting, truncating or rolling back one agency's log —
 * even with that agency's key — shows in `npm run audit -- verify` as a witnessed record that
 * is missing or different, unless every witness's database is rolled back too.
 *
 * The head travels as a short-lived JWS (ES256) signed with the witnessed agency's access-log
 * key and addressed to the witness; the witness asks for it with a JWS of its own key addressed
 * to the peer (`Authorization: Bearer`). Why the access-log keys and not the gateway's
 * signature: the gateway's key is the gateway's alone (a subgraph holding it could forge the
 * gateway's requests), while each agency already holds its own access-log key and the public
 * keys of the others; a head reveals no personal data, but only the agencies need it.
 *
 * Over the network the fetches go through the subgraph's TLS agent (common/server/tls.ts): its
 * own certificate as client certificate, its peers' certificates checked against TLS_CA_FILE.
 *
 * Witnessing never touches a request: it runs on a timer, and a peer that is down is logged
 * (once, and again when it is back) and asked again at the next round. A subgraph that stops
 * hands its last head to its peers (`POST`), so that what it wrote last is witnessed too.
 */
import type { RequestHandler } from 'express';
import { SignJWT, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import { z } from 'zod';
import type { SubgraphName } from '../config/services.js';
import { isDuplicateKey } from '../db/errors.js';
import type { Logger } from '../logger.js';
import { plainFetch, type ServiceFetch } from '../server/tls.js';
import type { AccessLogKeys } from './access-log-keys.js';
import type { AccessLog, ChainHead } from './access-log.js';
import { recordId } from './record-id.js';
import { canonicalJson } from './canonical-json.js';

/** Where a subgraph answers its chain head (beside `/graphql`). */
export const HEAD_ROUTE = '/access-log/head';
const REQUEST_SUBJECT = 'access-log-head-request';
const HEAD_SUBJECT = 'access-log-head';
/** A head or a request for one is good for a minute: one fetch, with room for clocks that differ. */
const TOKEN_LIFETIME_S = 60;
const CLOCK_TOLERANCE_S = 5;
/** How long one fetch of a peer's head may take. */
const FETCH_TIMEOUT_MS = 5000;
/** How long a stopping subgraph waits for its peers to take its last head. */
const ANNOUNCE_TIMEOUT_MS = 1000;

/** One countersigned head of another agency's chain, in the witness's database. */
export interface WitnessRecord {
  /** `<agency>:<seq>:<hash>`: one record per head, and a second head for one sequence number kept beside the first. */
  _id: string;
  /** The agency whose chain head this is. */
  agency: string;
  seq: number;
  hash: string;
  at: Date | null;
  /** The agency that witnessed it (and signed this record). */
  witness: string;
  witnessedAt: Date;
  keyId: string;
  /** ES256 signature (base64url) by the witness over the canonical JSON of every other field. */
  signature: string;
}

const witnessSchema = new Schema<WitnessRecord>(
  {
    _id: { type: String, required: true },
    agency: { type: String, required: true, index: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
    at: { type: Date, default: null },
    witness: { type: String, required: true },
    witnessedAt: { type: Date, required: true },
    keyId: { type: String, required: true },
    signature: { type: String, required: true },
  },
  { versionKey: false, collection: 'access_log_witness' },
);

/** The witness records held in one agency's database, signed with that agency's key. */
export class WitnessStore {
  readonly model: Model<WitnessRecord>;

  constructor(
    connection: Connection,
    readonly keys: AccessLogKeys,
  ) {
    this.model = connection.model<WitnessRecord>('AccessLogWitness', witnessSchema);
  }

  /** Stores a countersigned head of `agency`; a head stored already is not stored twice. */
  async record(agency: string, head: ChainHead): Promise<void> {
    const unsigned = new this.model({
      _id: `${agency}:${recordId(head.seq)}:${head.hash}`,
      agency,
      seq: head.seq,
      hash: head.hash,
      at: head.at,
      witness: this.keys.owner,
      witnessedAt: new Date(),
      keyId: this.keys.currentKeyId,
    }).toObject({ versionKey: false }) as Omit<WitnessRecord, 'signature'>;
    const { signature } = this.keys.sign(canonicalJson(unsigned));
    try {
      await this.model.create({ ...unsigned, signature });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }

  /** Every head of `agency` this witness holds, lowest sequence first. */
  forAgency(agency: string): Promise<WitnessRecord[]> {
    return this.model.find({ agency }).sort({ seq: 1 }).lean<WitnessRecord[]>().exec();
  }

  /** Why a witness record is not this witness's, or null when its signature holds. */
  check(record: WitnessRecord): string | null {
    const { signature, ...unsigned } = record;
    if (record.witness !== this.keys.owner) return `names ${record.witness} as its witness`;
    return this.keys.check(record.keyId, canonicalJson(unsigned), signature);
  }
}

const headClaims = z.object({
  seq: z.number().int().min(0),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string().nullable(),
});

async function signToken(keys: AccessLogKeys, audience: string, subject: string, claims: object): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: keys.currentKeyId! })
    .setIssuer(keys.owner)
    .setAudience(audience)
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(`${TOKEN_LIFETIME_S}s`)
    .sign(keys.privateKey);
}

/** Verifies a token of one of `issuers` addressed to `audience`; returns its issuer and claims. */
async function verifyToken(
  token: string,
  issuers: ReadonlyMap<string, AccessLogKeys>,
  audience: string,
  subject: string,
): Promise<{ issuer: string; payload: Record<string, unknown> }> {
  const { iss } = decodeJwt(token);
  const { kid } = decodeProtectedHeader(token);
  const keys = iss ? issuers.get(iss) : undefined;
  if (!keys) throw new Error(`issued by ${iss ?? 'no one'}, not by one of ${[...issuers.keys()].join(', ')}`);
  const key = kid ? keys.publicKey(kid) : undefined;
  if (!key) throw new Error(`signed with key ${kid ?? '(none)'}, which is not one of ${iss}'s keys`);
  const { payload } = await jwtVerify(token, key, {
    issuer: iss,
    audience,
    subject,
    algorithms: ['ES256'],
    clockTolerance: CLOCK_TOLERANCE_S,
    maxTokenAge: TOKEN_LIFETIME_S + CLOCK_TOLERANCE_S,
    requiredClaims: ['exp', 'iat'],
  });
  return { issuer: iss!, payload };
}

/** A signed head, verified: the peer that signed it (one of `peers`, addressed to `audience`) and the head. */
async function verifyHead(
  token: string,
  peers: ReadonlyMap<string, AccessLogKeys>,
  audience: string,
): Promise<{ issuer: string; head: ChainHead }> {
  const { issuer, payload } = await verifyToken(token, peers, audience, HEAD_SUBJECT);
  const claims = headClaims.parse(payload);
  return { issuer, head: { seq: claims.seq, hash: claims.hash, at: claims.at ? new Date(claims.at) : null } };
}

function headToken(keys: AccessLogKeys, audience: string, head: ChainHead): Promise<string> {
  return signToken(keys, audience, HEAD_SUBJECT, {
    seq: head.seq,
    hash: head.hash,
    at: head.at ? new Date(head.at).toISOString() : null,
  });
}

/**
 * `POST /access-log/head` with `{ "head": <signed head> }`: a peer that stops hands its last
 * head to be witnessed at once, rather than at the next round after it is back (204). The
 * signed head is its own authentication (401 otherwise).
 */
export function acceptHeadRoute(
  store: WitnessStore,
  peers: ReadonlyMap<string, AccessLogKeys>,
  log: Logger,
): RequestHandler {
  return (req, res, next) => {
    const token = (req.body as { head?: unknown } | undefined)?.head;
    if (typeof token !== 'string') {
      res.status(400).json({ error: 'the body must be { "head": <chain head signed with an agency access-log key> }' });
      return;
    }
    verifyHead(token, peers, store.keys.owner)
      .then(
        async ({ issuer, head }) => {
          if (head.seq > 0) await store.record(issuer, head);
          res.status(204).end();
        },
        (e: unknown) => {
          log.warn({ reason: (e as Error).message }, 'chain head refused: not signed by a peer');
          res.status(401).json({ error: `not signed by a peer's access-log key: ${(e as Error).message}` });
        },
      )
      .catch(next);
  };
}

/**
 * `GET /access-log/head`: this subgraph's chain head, signed for the peer that asked. Answers
 * only a request signed by another agency's access-log key (401 otherwise).
 */
export function headRoute(
  accessLog: AccessLog,
  peers: ReadonlyMap<string, AccessLogKeys>,
  log: Logger,
): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      res.status(401).json({ error: 'Authorization: Bearer <token signed with an agency access-log key> is required' });
      return;
    }
    verifyToken(match[1]!, peers, accessLog.keys.owner, REQUEST_SUBJECT)
      .then(
        async ({ issuer }) => {
          const token = await headToken(accessLog.keys, issuer, await accessLog.chainHead());
          res.set('cache-control', 'no-store').json({ head: token });
        },
        (e: unknown) => {
          log.warn({ reason: (e as Error).message }, 'chain head refused: the request is not signed by a peer');
          res.status(401).json({ error: `not signed by a peer's access-log key: ${(e as Error).message}` });
        },
      )
      .catch(next);
  };
}

export interface WitnessPeer {
  name: SubgraphName;
  /** The peer's GraphQL URL; its head is at `HEAD_ROUTE` on the same origin. */
  url: string;
  keys: AccessLogKeys;
}

/** What one round did with one peer. */
export type WitnessOutcome = { peer: string; witnessed: ChainHead } | { peer: string; error: string };

/** Fetches the other agencies' heads on a timer and stores each, countersigned, in this agency's database. */
export class Witness {
  private timer: NodeJS.Timeout | null = null;
  private readonly down = new Set<string>();
  private readonly peerKeys: ReadonlyMap<string, AccessLogKeys>;

  constructor(
    private readonly store: WitnessStore,
    private readonly peers: WitnessPeer[],
    private readonly intervalMs: number,
    private readonly log: Logger,
    /** How the peers are reached: the subgraph's TLS agent (client certificate, trusted CAs). */
    private readonly fetch: ServiceFetch = plainFetch,
  ) {
    this.peerKeys = new Map(peers.map((p) => [p.name, p.keys]));
  }

  /** Starts the timer (nothing when witnessing is off or there are no peers). */
  start(): void {
    if (this.intervalMs <= 0 || this.peers.length === 0) return;
    this.timer = setInterval(() => void this.round(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Witnesses every peer once; never throws (a peer that fails is logged and asked again next round). */
  round(): Promise<WitnessOutcome[]> {
    return Promise.all(this.peers.map((peer) => this.witness(peer)));
  }

  private async witness(peer: WitnessPeer): Promise<WitnessOutcome> {
    try {
      const head = await this.fetchHead(peer);
      if (head.seq > 0) await this.store.record(peer.name, head);
      if (this.down.delete(peer.name)) this.log.info({ peer: peer.name }, 'witnessing the peer again');
      return { peer: peer.name, witnessed: head };
    } catch (e) {
      const error = (e as Error).message;
      if (!this.down.has(peer.name)) {
        this.down.add(peer.name);
        this.log.warn({ peer: peer.name, err: error }, "could not witness the peer's access-log head; retrying");
      }
      return { peer: peer.name, error };
    }
  }

  private async fetchHead(peer: WitnessPeer): Promise<ChainHead> {
    const own = this.store.keys;
    const request = await signToken(own, peer.name, REQUEST_SUBJECT, {});
    const response = await this.fetch(new URL(HEAD_ROUTE, peer.url), {
      headers: { authorization: `Bearer ${request}` },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as { head?: unknown; error?: unknown };
    if (!response.ok || typeof body.head !== 'string') {
      throw new Error(`${peer.name} answered ${response.status}${body.error ? `: ${String(body.error)}` : ''}`);
    }
    const { issuer, head } = await verifyHead(body.head, this.peerKeys, own.owner);
    if (issuer !== peer.name) throw new Error(`the head at ${peer.url} is signed by ${issuer}, not ${peer.name}`);
    return head;
  }

  /**
   * Hands this agency's head to every peer to witness (`POST /access-log/head`): when the
   * subgraph stops, so that its last records are witnessed now. Waits at most a second; a peer
   * that does not take it is logged.
   */
  async announce(head: ChainHead): Promise<void> {
    if (head.seq === 0) return;
    const own = this.store.keys;
    await Promise.all(
      this.peers.map(async (peer) => {
        try {
          const response = await this.fetch(new URL(HEAD_ROUTE, peer.url), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ head: await headToken(own, peer.name, head) }),
            signal: AbortSignal.timeout(ANNOUNCE_TIMEOUT_MS),
          });
          if (!response.ok) throw new Error(`${peer.name} answered ${response.status}`);
        } catch (e) {
          this.log.warn({ peer: peer.name, err: (e as Error).message }, 'the peer did not witness the last head');
        }
      }),
    );
  }
}
