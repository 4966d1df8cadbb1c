import { describe, expect, it } from 'vitest';
import type { AlertChannel } from '../../api/alert-channels.ts';
import { channelInput, destination } from './ChannelsPage.tsx';

const stored: AlertChannel = {
  name: 'ops',
  type: 'dingtalk',
  url: 'https://oapi.dingtalk.com/******',
  secret: '******',
  host: null,
  port: null,
  tls: null,
  username: null,
  password: null,
  from: null,
  to: null,
  createdAt: '2026-12-03T00:00:00Z',
  updatedAt: '2026-12-03T00:00:00Z',
};
const t = (k: string) => k;

describe('the Channels page', () => {
  it('sends the fields of the chosen type only; an empty secret keeps the stored one on an edit', () => {
    expect(channelInput({ name: 'ops', type: 'dingtalk', url: stored.url!, secret: '' }, stored)).toEqual({
      type: 'dingtalk',
      url: 'https://oapi.dingtalk.com/******',
    });
    // A new channel (or another type) with no secret is unsigned.
    expect(
      channelInput({ name: 'n', type: 'lark', url: ' https://open.feishu.cn/x ', secret: '' }, null),
    ).toEqual({
      type: 'lark',
      url: 'https://open.feishu.cn/x',
      secret: null,
    });
    expect(
      channelInput(
        {
          name: 'm',
          type: 'email',
          host: 'smtp',
          port: null,
          tls: false,
          from: 'a@b.c',
          to: 'x@y.z, ,w@v.u',
          url: 'ignored',
        },
        null,
      ),
    ).toEqual({
      type: 'email',
      host: 'smtp',
      tls: false,
      username: null,
      password: null,
      from: 'a@b.c',
      to: ['x@y.z', 'w@v.u'],
    });
  });

  it('says where a channel sends, masked as the server gave it', () => {
    expect(destination(stored, t)).toBe('https://oapi.dingtalk.com/****** (ch.signed)');
    expect(
      destination(
        { ...stored, type: 'email', url: null, secret: null, host: 'h', port: 25, tls: false, to: ['a@b.c'] },
        t,
      ),
    ).toBe('h:25 (ch.noTls) → a@b.c');
  });
});
