/**
 * The headers editor's JSON: the template it starts with, and merging the role picker's
 * credential into whatever else the analyst wrote there.
 */

/** What a new tab's headers editor holds until a token is filled in. */
export const HEADERS_TEMPLATE = { Authorization: 'Bearer <token>', 'X-Purpose': '<purpose>' };

/** The credential the role picker obtained: sent with every operation of every tab. */
export interface Credential {
  token: string;
  purpose: string;
}

export function formatHeaders(headers: Record<string, string>): string {
  return JSON.stringify(headers, null, 2);
}

/** The editor's text as an object of strings, or null when it is not a JSON object. */
export function parseHeaders(text: string | undefined): Record<string, string> | null {
  if (!text?.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  } catch {
    return null;
  }
}

/** The value of a header, whatever the case of its name. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  return Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
}

/** Sets `Authorization` and `X-Purpose` (in whatever case they were written), keeping every other header. */
export function withCredential(text: string | undefined, credential: Credential): string | null {
  const headers = parseHeaders(text);
  if (headers === null) return null; // the analyst is mid-edit: leave the text alone
  const rest = Object.fromEntries(
    Object.entries(headers).filter(([k]) => !['authorization', 'x-purpose'].includes(k.toLowerCase())),
  );
  return formatHeaders({ Authorization: `Bearer ${credential.token}`, 'X-Purpose': credential.purpose, ...rest });
}
