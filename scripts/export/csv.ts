/**
 * CSV as RFC 4180 writes it: records end with CRLF; a field containing a comma, a double
 * quote, CR or LF is enclosed in double quotes, and its double quotes are doubled.
 *
 * Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula; text from the
 * public (community reports) must not become one. Such a cell is written with a leading `'`,
 * unless it is a plain number (OWASP's advice on CSV injection).
 */

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** A cell made safe to open in a spreadsheet. */
export function guardFormula(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** One field, quoted when RFC 4180 requires it. */
export function csvField(value: string): string {
  const text = guardFormula(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record with its CRLF line break. */
export function csvRecord(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
