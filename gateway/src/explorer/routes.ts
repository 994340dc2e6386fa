/**
 * `/explorer`: the GraphiQL page, its bundle (from memory, gzip when the browser takes it),
 * `GET /explorer/saved-operations` (the saved operations the caller's token may see: a
 * partner's registered documents, or the explorer's), and in development
 * `POST /explorer/dev-token`, which signs a token for a chosen agency type, institution and
 * jurisdiction. The page may load nothing from another address: its
 * Content-Security-Policy allows only this origin (and inline data: fonts and images).
 */
import express, { type Express, type Request, type Response } from 'express';
import { z } from 'zod';
import { DEVELOPMENT_ROLES } from '../../../common/auth/development-roles.js';
import { AGENCY_TYPES, SCOPE_NAMES } from '../../../common/auth/policy.js';
import type { TokenSigner, TokenVerifier } from '../../../common/auth/tokens.js';
import { isLoopbackHost } from '../../../common/config/explorer.js';
import type { Logger } from '../../../common/logger.js';
import type { DevTokenResponse, ExplorerSettings, SavedOperationsResponse } from '../../explorer/settings.js';
import type { ExplorerBundle } from './bundle.js';
import { savedOperationsFor } from './saved-operations.js';

export const EXPLORER_PATH = '/explorer';
const ASSETS_PATH = `${EXPLORER_PATH}/assets`;
const DEV_TOKEN_PATH = `${EXPLORER_PATH}/dev-token`;
const SAVED_OPERATIONS_PATH = `${EXPLORER_PATH}/saved-operations`;
const SETTINGS_MARK = '<!--settings-->';
/** Lifetime of a development token from the role picker, as `npm run token` (8 hours). */
const DEV_TOKEN_SECONDS = 8 * 3600;

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // GraphiQL and CodeMirror set style attributes; fonts and icons are data: URLs in the CSS
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const devTokenRequestSchema = z.object({
  agencyType: z.enum(AGENCY_TYPES),
  agency: z
    .string()
    .trim()
    .regex(/^[A-Z0-9][A-Z0-9./-]{0,63}$/i, 'must be an institution code such as POLRES-OKU'),
  jurisdiction: z.array(z.string().trim()).min(1, 'needs at least one region-code prefix (or *)').max(50),
  // a typical role's own scopes (the partner's permit:read); without them, the agency type's defaults
  scopes: z.array(z.enum(SCOPE_NAMES)).max(SCOPE_NAMES.length).optional(),
});

export interface ExplorerOptions {
  bundle: ExplorerBundle;
  /** Signs development tokens; absent when they are disabled (the endpoint then does not exist). */
  signToken?: TokenSigner;
  /** The gateway's own verifier: the saved operations offered depend on who the token says the caller is. */
  verifyToken: TokenVerifier;
  graphqlPath: string;
  log: Logger;
}

/** JSON for inside a `<script>` element: `<` escaped, so no text can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function securityHeaders(res: Response): void {
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
}

export function mountExplorer(app: Express, options: ExplorerOptions): void {
  const { bundle, signToken, verifyToken, log } = options;

  app.get([EXPLORER_PATH, `${EXPLORER_PATH}/`], (_req, res) => {
    const settings: ExplorerSettings = {
      graphqlPath: options.graphqlPath,
      savedOperationsPath: SAVED_OPERATIONS_PATH,
      devTokenPath: signToken ? DEV_TOKEN_PATH : null,
      agencyTypes: AGENCY_TYPES,
      roles: signToken
        ? DEVELOPMENT_ROLES.map(({ label, agencyType, agency, jurisdiction, scopes }) => ({
            label,
            agencyType,
            agency,
            jurisdiction,
            ...(scopes ? { scopes } : {}),
          }))
        : [],
    };
    securityHeaders(res);
    res.set('Cache-Control', 'no-store');
    res.type('html').send(bundle.html.replace(SETTINGS_MARK, () => scriptJson(settings)));
  });

  // which operations to offer is decided here, from the verified token, not by the page: a
  // partner is offered exactly its registered documents, whatever the page asks
  app.get(SAVED_OPERATIONS_PATH, async (req, res) => {
    securityHeaders(res);
    res.set({ 'Cache-Control': 'no-store', Vary: 'Authorization' });
    let caller;
    try {
      caller = await verifyToken(req.headers.authorization);
    } catch (e) {
      res.status(401).json({ error: (e as Error).message, code: 'UNAUTHENTICATED' });
      return;
    }
    const operations = await savedOperationsFor(caller, (file, error) =>
      log.warn({ file, err: error.message }, 'saved operation skipped'),
    );
    const answer: SavedOperationsResponse = {
      agencyType: caller.agencyType,
      agency: caller.agency,
      operations,
    };
    res.json(answer);
  });

  app.get(`${ASSETS_PATH}/:file`, (req: Request<{ file: string }>, res) => {
    const file = bundle.assets.get(req.params.file);
    if (!file) {
      res.status(404).type('text').send('Not found');
      return;
    }
    securityHeaders(res);
    res.set({
      'Content-Type': file.contentType,
      ETag: file.etag,
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
    });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      res.set('Content-Encoding', 'gzip').send(file.gzip);
    } else {
      res.send(file.body);
    }
  });

  if (signToken) {
    app.post(DEV_TOKEN_PATH, express.json({ limit: '4kb' }), async (req, res) => {
      // a JSON body needs a CORS preflight, which the gateway never grants: only this origin's pages get here
      if (!req.is('application/json') || req.get('sec-fetch-site') === 'cross-site') {
        res.status(415).json({ error: 'send the role as application/json from the explorer' });
        return;
      }
      // a page of another site whose name was made to resolve to 127.0.0.1 (DNS rebinding) is
      // same-origin to the browser, but names its own host: only loopback names get a token
      if (!isLoopbackHost(req.hostname)) {
        res
          .status(403)
          .json({ error: `development tokens are issued only to http://127.0.0.1 or localhost, not ${req.hostname}` });
        return;
      }
      const parsed = devTokenRequestSchema.safeParse(req.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        res.status(400).json({ error: `${issue.path.join('.') || 'body'} ${issue.message}` });
        return;
      }
      try {
        const token = await signToken({ ...parsed.data, lifetimeSeconds: DEV_TOKEN_SECONDS });
        const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
          exp: number;
          scope: string;
        };
        log.info(
          { agencyType: parsed.data.agencyType, agency: parsed.data.agency, jurisdiction: parsed.data.jurisdiction },
          'development token issued by the explorer',
        );
        const answer: DevTokenResponse = {
          token,
          expiresAt: new Date(claims.exp * 1000).toISOString(),
          scopes: claims.scope.split(' ').filter(Boolean),
        };
        res.set('Cache-Control', 'no-store').json(answer);
      } catch (e) {
        // the signer checks the claims (e.g. a jurisdiction that is not a region code)
        res.status(400).json({ error: (e as Error).message });
      }
    });
  }
}
