import { describe, expect, it } from 'vitest';
import { dingtalkSign, dingtalkSignedUrl, larkSign } from './robot-signing.ts';

// Expected values computed with the robots' own documented Python examples (hmac, base64, quote_plus).
const secret = 'SEC0123456789abcdef';

describe('robot signing', () => {
  it('signs DingTalk as its document says: timestamp ms + "\\n" + secret, keyed by the secret', () => {
    expect(dingtalkSign(secret, 1700000000000)).toBe('TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=');
    expect(
      dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', secret, 1700000000000),
    ).toBe(
      'https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D',
    );
  });

  it('starts the query when the DingTalk address has none', () => {
    expect(dingtalkSignedUrl('http://127.0.0.1:9/robot', secret, 1)).toMatch(
      /^http:\/\/127\.0\.0\.1:9\/robot\?timestamp=1&sign=/,
    );
  });

  it('signs Lark with timestamp s + "\\n" + secret as the key over an empty message', () => {
    expect(larkSign(secret, 1700000000)).toBe('PiO7POLlSx/DM2qf8Dy/XCWeJK3exVnevp5G99LEN2M=');
    expect(larkSign(secret, 1700000001)).not.toBe(larkSign(secret, 1700000000));
  });
});
