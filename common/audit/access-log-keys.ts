/**
 * The keys of an agency's access log: ES256 (ECDSA P-256, SHA-256) key pairs, kept out of the
 * database. The agency's subgraph signs each record with the private key; anyone holding the
 * public key — the other agencies' subgraphs, `npm run audit -- verify` — checks a signature
 * but cannot make one. So an insider who can write the database, but not read the key, cannot
 * rewrite a record and recompute what vouches for it.
 *
 * Why signatures rather than an HMAC: the same keys authenticate one agency to the others
 * (witnessing, common/audit/witness.ts) and let an auditor verify every agency's log without
 * holding a secret that could forge it.
 *
 * A key file (`<PREFIX>_ACCESS_LOG_KEY_FILE`) holds PEM blocks: the first is the current key
 * (the private key where the agency signs with it), the others are earlier keys kept to verify
 * older records after a rotation — to rotate, put a new private key first and keep the old
 * key's public half after it. Each record names its key by `keyId`, a fingerprint of the
 * public key (the first 16 hex digits of the SHA-256 of its DER form).
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ensureDevKeys } from '../auth/tokens.js';
import type { AccessLogKeySource } from '../config/access-log.js';

/** One key of an agency, by fingerprint. */
interface PublicKeyEntry {
  keyId: string;
  publicKey: KeyObject;
}

/** What signs: the current private key and its fingerprint. */
interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
}

const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g;

function fingerprint(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** The keys of one agency's access log: always the public keys, the private key where this process signs. */
export class AccessLogKeys {
  private readonly byId: Map<string, KeyObject>;

  private constructor(
    /** The agency, for messages. */
    readonly owner: string,
    keys: PublicKeyEntry[],
    private readonly signing: SigningKey | null,
  ) {
    this.byId = new Map(keys.map((k) => [k.keyId, k.publicKey]));
  }

  /** Keys from PEM text (a private key yields its public half too). */
  static fromPem(owner: string, pem: string, options: { sign: boolean; file: string }): AccessLogKeys {
    const blocks = pem.match(PEM_BLOCK) ?? [];
    if (blocks.length === 0) throw new Error(`${options.file}: no PEM key in the access-log key file of ${owner}`);
    let signing: SigningKey | null = null;
    const keys = blocks.map((block, i) => {
      let publicKey: KeyObject;
      try {
        publicKey = createPublicKey(block);
      } catch (e) {
        throw new Error(`${options.file}: key ${i + 1} is not a PEM key: ${(e as Error).message}`);
      }
      if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
        throw new Error(`${options.file}: key ${i + 1} is not an ES256 (EC P-256) key`);
      }
      const keyId = fingerprint(publicKey);
      if (i === 0 && options.sign) {
        if (!block.includes('PRIVATE KEY')) {
          throw new Error(
            `${options.file}: the first key must be the private key ${owner} signs its access log with (PKCS#8 PEM)`,
          );
        }
        signing = { keyId, privateKey: createPrivateKey(block) };
      }
      return { keyId, publicKey };
    });
    return new AccessLogKeys(owner, keys, signing);
  }

  /**
   * Loads the keys of `owner` from its key file, or its development key pair (generated on first
   * use, with the same generator as the token and gateway keys). `sign`: this process signs with them.
   */
  static async load(owner: string, source: AccessLogKeySource, options: { sign: boolean }): Promise<AccessLogKeys> {
    let file = source.keyFile;
    if (!file) {
      if (!source.devKeyDir) throw new Error(`No access-log key for ${owner}: set its ACCESS_LOG_KEY_FILE`);
      const dev = await ensureDevKeys(source.devKeyDir);
      file = options.sign ? dev.privateKeyFile! : dev.publicKeyFile;
    }
    let pem: string;
    try {
      pem = await fs.readFile(path.resolve(file), 'utf8');
    } catch (e) {
      throw new Error(`Cannot read the access-log key of ${owner} ${file}: ${(e as Error).message}`);
    }
    return AccessLogKeys.fromPem(owner, pem, { sign: options.sign, file });
  }

  /** Fingerprint of the key new records are signed with, or null when this process only verifies. */
  get currentKeyId(): string | null {
    return this.signing?.keyId ?? null;
  }

  get keyIds(): string[] {
    return [...this.byId.keys()];
  }

  /** The private key this process signs with (for the witnesses' JWS); throws when it only verifies. */
  get privateKey(): KeyObject {
    return this.signingKey().privateKey;
  }

  /** The public key of `keyId`, or undefined when it is not one of this agency's keys. */
  publicKey(keyId: string): KeyObject | undefined {
    return this.byId.get(keyId);
  }

  private signingKey(): SigningKey {
    if (!this.signing) throw new Error(`the access log of ${this.owner} has no private key here: it cannot sign`);
    return this.signing;
  }

  /** Signs `data` with the current key: `{ keyId, signature }` (base64url, IEEE P1363). */
  sign(data: string): { keyId: string; signature: string } {
    const { keyId, privateKey } = this.signingKey();
    const signature = sign('sha256', Buffer.from(data), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    return { keyId, signature: signature.toString('base64url') };
  }

  /** Why `signature` over `data` does not hold, or null when it was made with the key `keyId` of this agency. */
  check(keyId: string | undefined, data: string, signature: string | undefined): string | null {
    if (!keyId || !signature) return 'carries no signature';
    const publicKey = this.byId.get(keyId);
    if (!publicKey)
      return `is signed with key ${keyId}, which is not one of ${this.owner}'s keys (${this.keyIds.join(', ')})`;
    const ok = verify(
      'sha256',
      Buffer.from(data),
      { key: publicKey, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    return ok ? null : `has a signature that does not match its content (key ${keyId})`;
  }
}
