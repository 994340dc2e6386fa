/**
 * The HTTP headers the hub reads on every request, shared by the gateway and the subgraphs:
 * the request id, the stated purpose and what the gateway forwards about the client's operation.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ErrorCode, PublicError } from '../errors.js';
import { message } from '../i18n/language.js';

export const REQUEST_ID_HEADER = 'x-request-id';
export const PURPOSE_HEADER = 'x-purpose';
/** The client's operation name, forwarded by the gateway (which renames subgraph operations). */
export const OPERATION_NAME_HEADER = 'x-operation-name';
/** The registered (trusted) operation the gateway matched a partner's request to. */
export const TRUSTED_OPERATION_HEADER = 'x-trusted-operation';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Longest purpose, in characters. */
export const MAX_PURPOSE_LENGTH = 200;
/** A purpose names what the data is for, in words: at least this many letters. */
export const MIN_PURPOSE_LETTERS = 4;

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Request id from the gateway (or a client), or a new one when absent or malformed. */
export function requestIdOf(headers: IncomingHttpHeaders): string {
  const given = header(headers, REQUEST_ID_HEADER);
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

function purposeError(text: string): PublicError {
  return new PublicError(text, ErrorCode.BAD_USER_INPUT, {
    field: 'X-Purpose',
    http: { status: 400 },
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The stated purpose (`X-Purpose`), or null when none is given. HTTP hands header values over as
 * bytes (Node reads them as Latin-1); the hub reads them as UTF-8, so "Pemeriksaan — Baturaja"
 * arrives as written. A purpose that is not UTF-8, holds control characters, is longer than
 * MAX_PURPOSE_LENGTH or has fewer than MIN_PURPOSE_LETTERS letters (".", "x", "123") is refused
 * with BAD_USER_INPUT rather than cut or recorded as said.
 */
export function purposeOf(headers: IncomingHttpHeaders): string | null {
  const raw = header(headers, PURPOSE_HEADER);
  if (raw === undefined) return null;
  let text: string;
  if (Array.from(raw).some((c) => c.codePointAt(0)! > 0xff)) {
    text = raw; // already characters (set in-process), not bytes
  } else {
    try {
      text = utf8.decode(Buffer.from(raw, 'latin1'));
    } catch {
      throw purposeError(message('purpose.notUtf8'));
    }
  }
  text = text.normalize('NFC').trim();
  if (text === '') return null;
  if (/[\p{Cc}]/u.test(text)) throw purposeError(message('purpose.controlCharacters'));
  const length = [...text].length;
  if (length > MAX_PURPOSE_LENGTH) {
    throw purposeError(message('purpose.tooLong', { max: MAX_PURPOSE_LENGTH, length }));
  }
  if ((text.match(/\p{L}/gu) ?? []).length < MIN_PURPOSE_LETTERS) {
    throw purposeError(message('purpose.tooFewLetters', { min: MIN_PURPOSE_LETTERS }));
  }
  return text;
}
