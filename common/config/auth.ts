/** Token verification (`JWT_*`) and the gateway's signing key pair (`GATEWAY_*_KEY_FILE`). */
import { z } from 'zod';
import { httpUrl } from './shared-schemas.js';

/** Who issues the tokens the hub accepts, and the key (a file, or a JWKS URL) that verifies them. */
export const authSchema = z
  .object({
    JWT_ISSUER: z.string().min(1).default('timpora-hub-dev'),
    JWT_AUDIENCE: z.string().min(1).default('timpora-hub'),
    /** PEM (SPKI) public key file used to verify tokens. */
    JWT_PUBLIC_KEY_FILE: z.string().min(1).optional(),
    /** JWKS URL used to verify tokens (production identity provider). */
    JWT_JWKS_URL: httpUrl.optional(),
    /** PEM (PKCS#8) private key file used by `npm run token` to sign development tokens. */
    JWT_PRIVATE_KEY_FILE: z.string().min(1).optional(),
    /** Allow generating a development key pair under DATA_DIR when no key is configured. */
    JWT_DEV_KEYS: z.enum(['true', 'false']).default('true'),
  })
  .refine((v) => !(v.JWT_PUBLIC_KEY_FILE && v.JWT_JWKS_URL), {
    message: 'set only one of JWT_PUBLIC_KEY_FILE and JWT_JWKS_URL',
    path: ['JWT_JWKS_URL'],
  })
  .refine((v) => v.JWT_DEV_KEYS === 'true' || v.JWT_PUBLIC_KEY_FILE || v.JWT_JWKS_URL, {
    message: 'JWT_DEV_KEYS=false needs JWT_PUBLIC_KEY_FILE or JWT_JWKS_URL',
    path: ['JWT_DEV_KEYS'],
  });

/** The gateway's key pair: it signs every subgraph fetch (common/auth/gateway-signature.ts). */
export const gatewayKeySchema = z.object({
  /** PEM (PKCS#8) private key the gateway signs subgraph requests with. */
  GATEWAY_SIGNING_KEY_FILE: z.string().min(1).optional(),
  /** PEM (SPKI) public key the subgraphs verify the gateway's signature with. */
  GATEWAY_PUBLIC_KEY_FILE: z.string().min(1).optional(),
});

export interface AuthConfig {
  issuer: string;
  audience: string;
  publicKeyFile?: string;
  jwksUrl?: string;
  privateKeyFile?: string;
  /** Directory where development keys are generated on first use, or null when disabled. */
  devKeyDir: string | null;
}

/** Where the gateway's signing key pair is (see common/auth/gateway-signature.ts). */
export interface GatewayKeyConfig {
  privateKeyFile?: string;
  publicKeyFile?: string;
  /** Directory of a development key pair generated on first use, or null when development keys are off. */
  devKeyDir: string | null;
}

/** Whether `createTokenSigner` has a private key: a configured one, or development keys when no other key is set. */
export function canSignTokens(auth: AuthConfig): boolean {
  if (auth.publicKeyFile) return Boolean(auth.privateKeyFile);
  return !auth.jwksUrl && auth.devKeyDir !== null;
}
