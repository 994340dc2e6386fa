/**
 * The explorer's headers editor: the role picker's credential replaces `Authorization` and
 * `X-Purpose` whatever their case, keeps every other header, and leaves text that is not
 * (yet) a JSON object alone.
 */
import { headerValue, parseHeaders, withCredential } from '../../gateway/explorer/headers.js';

const credential = { token: 'eyJ.test', purpose: 'SKLD renewal check' };

describe('explorer headers', () => {
  it('puts the credential in, keeping the other headers', () => {
    const text = JSON.stringify({ authorization: 'Bearer old', 'x-purpose': 'old', 'X-Request-Id': 'r1' });
    expect(JSON.parse(withCredential(text, credential)!)).toEqual({
      Authorization: 'Bearer eyJ.test',
      'X-Purpose': 'SKLD renewal check',
      'X-Request-Id': 'r1',
    });
    expect(JSON.parse(withCredential('', credential)!)).toEqual({
      Authorization: 'Bearer eyJ.test',
      'X-Purpose': 'SKLD renewal check',
    });
  });

  it('leaves text that is not a JSON object alone', () => {
    expect(withCredential('{"Authorization": ', credential)).toBeNull();
    expect(withCredential('["Authorization"]', credential)).toBeNull();
    expect(parseHeaders('{"a": 1}')).toEqual({ a: '1' });
    expect(headerValue({ AUTHORIZATION: 'Bearer x' }, 'authorization')).toBe('Bearer x');
  });
});
