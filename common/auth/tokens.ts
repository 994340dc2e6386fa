/**
 * Signed identity tokens (JWT, via `jose`): development key management, signing for
 * `npm run token` and tests, and the verifier that the gateway and every subgraph run on
 * each request before any resolver.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  SignJWT,
  createRemoteJWKSet,
  exportPKCS8,
  exportSPKI,
  generateKeyPair,
  importPKCS8,
  importSPKI,
  jwtVerify,
  errors as joseErrors,
  type JWTVerifyGetKey,
  type CryptoKey,
} from 'jose';
import { z } from 'zod';
import type { AuthConfig } from '../config/auth.js';
import { AuthenticationError } from '../errors.js';
import { localized, message, zodMessages } from '../i18n/language.js';
import { AGENCY_TYPES, defaultScopes, isScope, type AgencyType, type Scope } from './policy.js';

export const TOKEN_ALGORITHM = 'ES256';
const DEV_PRIVATE_KEY = 'dev-private.pem';
const DEV_PUBLIC_KEY = 'dev-public.pem';

/** The verified identity behind a request (the claims of README, "Access policy"). */
export interface Caller {
  subject: string;
  agency: string;
  agencyType: AgencyType;
  scopes: ReadonlySet<Scope>;
  /** Region-code prefixes the caller may see; `['*']` is national. */
  jurisdiction: readonly string[];
}

const REGION_PREFIX = /^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$/;

export const claimsSchema = z.object({
  sub: z.string().min(1),
  agency: z.string().min(1).max(64),
  agencyType: z.enum(AGENCY_TYPES),
  scope: z.string().refine((s) => s.split(' ').filter(Boolean).every(isScope), localized('auth.unknownScope')),
  jurisdiction: z
    .array(z.string().refine((j) => j === '*' || REGION_PREFIX.test(j), localized('auth.notRegionCode')))
    .min(1),
});
export type TokenClaims = z.infer<typeof claimsSchema>;

export function callerFromClaims(claims: TokenClaims): Caller {
  return {
    subject: claims.sub,
    agency: claims.agency,
    agencyType: claims.agencyType,
    scopes: new Set(claims.scope.split(' ').filter(Boolean) as Scope[]),
    jurisdiction: claims.jurisdiction,
  };
}

interface KeyFiles {
  privateKeyFile?: string;
  publicKeyFile: string;
}

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

/**
 * Generates the development key pair under `dir` on first use. The pair is written to a
 * temporary directory and renamed into place, so processes starting together agree on one pair.
 */
export async function ensureDevKeys(dir: string): Promise<KeyFiles> {
  const files = {
    privateKeyFile: path.join(dir, DEV_PRIVATE_KEY),
    publicKeyFile: path.join(dir, DEV_PUBLIC_KEY),
  };
  if (await exists(files.publicKeyFile)) return files;
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  await fs.mkdir(path.dirname(dir), { recursive: true });
  const tmp = await fs.mkdtemp(`${dir}.tmp-`);
  await fs.writeFile(path.join(tmp, DEV_PRIVATE_KEY), await exportPKCS8(privateKey), { mode: 0o600 });
  await fs.writeFile(path.join(tmp, DEV_PUBLIC_KEY), await exportSPKI(publicKey));
  try {
    await fs.rename(tmp, dir);
  } catch {
    // another process won the race, or the directory holds other keys already (DATA_DIR/keys holds
    // the gateway's and the access logs' directories): place the pair beside them, public key last,
    // unless another process placed one first
    if (!(await exists(files.publicKeyFile))) {
      await fs.mkdir(dir, { recursive: true });
      await fs
        .link(path.join(tmp, DEV_PRIVATE_KEY), files.privateKeyFile)
        .then(() => fs.link(path.join(tmp, DEV_PUBLIC_KEY), files.publicKeyFile))
        .catch(() => {});
    }
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return files;
}

async function keyFiles(config: AuthConfig): Promise<KeyFiles | null> {
  if (config.publicKeyFile) {
    return { publicKeyFile: config.publicKeyFile, privateKeyFile: config.privateKeyFile };
  }
  if (config.jwksUrl) return null;
  if (!config.devKeyDir) {
    throw new Error('No token verification key: set JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL');
  }
  return ensureDevKeys(config.devKeyDir);
}

async function readKeyFile(file: string, what: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read ${what} ${file}: ${(e as Error).message}`);
  }
}

export type TokenVerifier = (authorization: string | undefined) => Promise<Caller>;

/** Builds the request-time verifier: signature, issuer, audience, expiry and claim shape. */
export async function createTokenVerifier(config: AuthConfig): Promise<TokenVerifier> {
  const files = await keyFiles(config);
  let key: CryptoKey | JWTVerifyGetKey;
  if (files) {
    const pem = await readKeyFile(files.publicKeyFile, 'token public key');
    key = await importSPKI(pem, TOKEN_ALGORITHM).catch((e: Error) => {
      throw new Error(`${files.publicKeyFile} is not an ${TOKEN_ALGORITHM} public key: ${e.message}`);
    });
  } else {
    key = createRemoteJWKSet(new URL(config.jwksUrl!));
  }

  const verified = new VerifiedTokens();
  return async (authorization) => {
    if (!authorization) throw new AuthenticationError(message('auth.missingAuthorization'));
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw new AuthenticationError(message('auth.malformedAuthorization'));
    const known = verified.get(match[1]!);
    if (known) return known;
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(match[1]!, key as CryptoKey, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: [TOKEN_ALGORITHM],
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw new AuthenticationError(message('auth.tokenExpired'));
      if (e instanceof joseErrors.JWTClaimValidationFailed) {
        throw new AuthenticationError(message('auth.claimInvalid', { claim: e.claim }));
      }
      throw new AuthenticationError(message('auth.tokenInvalid'));
    }
    const claims = claimsSchema.safeParse(payload, { error: zodMessages() });
    if (!claims.success) {
      const issue = claims.error.issues[0]!;
      throw new AuthenticationError(
        message('auth.claimMalformed', { claim: issue.path.join('.'), problem: issue.message }),
      );
    }
    const caller = callerFromClaims(claims.data);
    verified.remember(match[1]!, caller, (payload as { exp?: number }).exp);
    return caller;
  };
}

/**
 * Tokens this process verified lately, with their callers: a session sends the same token with
 * every request, and each service verified its ES256 signature every time (jose, through
 * WebCrypto: 0.2-0.45 ms, four times per request across the gateway and the subgraphs). Only
 * tokens that passed every check are kept, for at most a minute and never past their `exp`
 * (a key withdrawn from a JWKS takes effect within that minute; jose's own JWKS cache keeps keys
 * for ten). Real time, like token expiry everywhere: `HUB_NOW` does not move it.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { caller: Caller; until: number }>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly ttlMs = 60_000,
  ) {}

  get(token: string): Caller | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (Date.now() < entry.until) return entry.caller;
    this.entries.delete(token);
    return undefined;
  }

  remember(token: string, caller: Caller, expSeconds: number | undefined): void {
    if (expSeconds === undefined) return;
    // the oldest entry makes room (a Map iterates in insertion order)
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { caller, until: Math.min(expSeconds * 1000, Date.now() + this.ttlMs) });
  }
}

export interface TokenRequest {
  agencyType: AgencyType;
  agency: string;
  jurisdiction: string[];
  /** Replaces the agency type's default scopes when given. */
  scopes?: Scope[];
  subject?: string;
  /** Lifetime in seconds (default 8 hours). */
  lifetimeSeconds?: number;
}

export type TokenSigner = (request: TokenRequest) => Promise<string>;

/** A signer with the configured private key (development keys are generated on first use). */
export async function createTokenSigner(config: AuthConfig): Promise<TokenSigner> {
  const files = await keyFiles(config);
  if (!files?.privateKeyFile) {
    throw new Error('No signing key: set JWT_PRIVATE_KEY_FILE (or use development keys)');
  }
  const pem = await readKeyFile(files.privateKeyFile, 'token private key');
  const privateKey = await importPKCS8(pem, TOKEN_ALGORITHM);
  return async (request) => {
    const parsed = claimsSchema.safeParse({
      sub: request.subject ?? `dev-${request.agency.toLowerCase()}`,
      agency: request.agency,
      agencyType: request.agencyType,
      scope: (request.scopes ?? defaultScopes(request.agencyType)).join(' '),
      jurisdiction: request.jurisdiction,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`claim ${issue.path.join('.')} ${issue.message}`);
    }
    const claims = parsed.data;
    return new SignJWT({
      agency: claims.agency,
      agencyType: claims.agencyType,
      scope: claims.scope,
      jurisdiction: claims.jurisdiction,
    })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (request.lifetimeSeconds ?? 8 * 3600))
      .sign(privateKey);
  };
}
