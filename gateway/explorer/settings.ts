/**
 * What the gateway hands the explorer page, embedded as JSON in the page's HTML: where to
 * send operations, where to ask (with a token) for the saved operations the caller may see,
 * and (in development) where the role picker gets tokens. Shared by the page and the gateway;
 * types only.
 */

/** `id` of the `<script type="application/json">` element holding the settings. */
export const SETTINGS_ELEMENT_ID = 'explorer-settings';

/** One saved operation: a `.graphql` file of `schema/operations/explorer/` (or, for a partner, `partner/`). */
export interface SavedOperation {
  /** The operation's name, which is also its file name. */
  name: string;
  /** The file's leading comment lines, without `#`. */
  description: string;
  /** The operation's text as written in the file, without the leading comment lines. */
  document: string;
  /** Example variables (JSON) from the file's `# Variables: {…}` line, or null. */
  variables: string | null;
}

/** A typical role offered by the role picker. */
export interface DevelopmentRole {
  label: string;
  agencyType: string;
  agency: string;
  jurisdiction: readonly string[];
  /** Scopes the role's token carries instead of its agency type's defaults (a partner's `permit:read`). */
  scopes?: readonly string[];
}

export interface ExplorerSettings {
  /** The gateway's GraphQL endpoint, a path on the page's own origin. */
  graphqlPath: string;
  /** `GET` with the caller's token: the saved operations it may see ({@link SavedOperationsResponse}). */
  savedOperationsPath: string;
  /** Where the role picker gets development tokens, or null when they are disabled. */
  devTokenPath: string | null;
  agencyTypes: readonly string[];
  roles: readonly DevelopmentRole[];
}

/** Answer of `GET /explorer/saved-operations`: a partner's registered documents, or the explorer's operations. */
export interface SavedOperationsResponse {
  agencyType: string;
  agency: string;
  operations: SavedOperation[];
}

/** Body of `POST /explorer/dev-token`. */
export interface DevTokenRequest {
  agencyType: string;
  agency: string;
  jurisdiction: string[];
  /** Scopes instead of the agency type's defaults, as a typical role defines them. */
  scopes?: string[];
}

/** Answer of `POST /explorer/dev-token`. */
export interface DevTokenResponse {
  token: string;
  /** ISO 8601 time the token expires. */
  expiresAt: string;
  scopes: string[];
}
