import { theme } from 'antd';
import { describe, expect, it } from 'vitest';
import {
  motionSettings,
  prefersReducedMotion,
  REDUCED_MOTION_QUERY,
  watchReducedMotion,
  type MediaSource,
} from './reduced-motion.ts';

/** A window whose media query list answers `wish` for the reduced-motion query, and can switch it. */
function windowWishing(wish: boolean) {
  const list = Object.assign(new EventTarget(), { matches: wish });
  const asked: string[] = [];
  const media = {
    matchMedia: (query: string) => {
      asked.push(query);
      return list as unknown as MediaQueryList;
    },
  } satisfies NonNullable<MediaSource>;
  const switchTo = (now: boolean) => {
    list.matches = now;
    list.dispatchEvent(new Event('change'));
  };
  return { media, asked, switchTo };
}

describe('reduced motion', () => {
  it('follows the media query prefers-reduced-motion: reduce, and asks for none outside a browser', () => {
    const reducing = windowWishing(true);
    expect(prefersReducedMotion(reducing.media)).toBe(true);
    expect(reducing.asked).toEqual([REDUCED_MOTION_QUERY]);
    expect(REDUCED_MOTION_QUERY).toBe('(prefers-reduced-motion: reduce)');
    expect(prefersReducedMotion(windowWishing(false).media)).toBe(false);
    expect(prefersReducedMotion(undefined)).toBe(false);
  });

  it('tells of a change of the wish until unsubscribed', () => {
    const w = windowWishing(false);
    let told = 0;
    const stop = watchReducedMotion(w.media, () => told++);
    w.switchTo(true);
    expect(told).toBe(1);
    expect(prefersReducedMotion(w.media)).toBe(true);
    stop();
    w.switchTo(false);
    expect(told).toBe(1);
    expect(() => watchReducedMotion(undefined, () => told++)()).not.toThrow();
  });

  it("turns antd's transitions and click wave off when asked, and leaves antd's own otherwise", () => {
    const reduced = motionSettings(true);
    const token = theme.getDesignToken(reduced.theme);
    expect([token.motionDurationFast, token.motionDurationMid, token.motionDurationSlow]).toEqual([
      '0s',
      '0s',
      '0s',
    ]);
    expect(reduced.wave).toEqual({ disabled: true });
    const usual = motionSettings(false);
    expect(usual).toEqual({});
    expect(theme.getDesignToken(usual.theme).motionDurationMid).not.toBe('0s');
  });
});
