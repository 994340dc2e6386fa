/**
 * RFC 4180 records and the spreadsheet formula guard.
 */
import { csvField, csvRecord, guardFormula } from './csv.js';

describe('CSV records', () => {
  it('ends records with CRLF and quotes only fields that need it', () => {
    expect(csvRecord(['a', 'b c', ''])).toBe('a,b c,\r\n');
    expect(csvRecord(['x,y', 'say "hi"', 'two\nlines', 'cr\r'])).toBe('"x,y","say ""hi""","two\nlines","cr\r"\r\n');
  });

  it('keeps a cell that starts like a formula from running in a spreadsheet, but not numbers', () => {
    expect(guardFormula('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    expect(guardFormula('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(guardFormula('+62 812')).toBe(`'+62 812`);
    expect(guardFormula('-12.5')).toBe('-12.5');
    expect(guardFormula('16.01')).toBe('16.01');
    expect(csvField('=1+1,2')).toBe(`"'=1+1,2"`);
  });
});
