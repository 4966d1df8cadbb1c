import type { ConfigProviderProps } from 'antd';
import { useSyncExternalStore } from 'react';

/** The user's wish for less motion (an accessibility setting of the system or the browser). */
export const REDUCED_MOTION_QUERY = '(prefers-reduced-motion: reduce)';

/** The part of `window` read here: absent outside a browser (server rendering, unit tests). */
export type MediaSource = Pick<Window, 'matchMedia'> | undefined;

/** Whether the user asks for reduced motion now. */
export const prefersReducedMotion = (media: MediaSource): boolean =>
  media?.matchMedia(REDUCED_MOTION_QUERY).matches ?? false;

/** Calls `changed` whenever the wish changes (the user switched it); returns the unsubscription. */
export function watchReducedMotion(media: MediaSource, changed: () => void): () => void {
  const list = media?.matchMedia(REDUCED_MOTION_QUERY);
  list?.addEventListener('change', changed);
  return () => list?.removeEventListener('change', changed);
}

/**
 * antd's settings for the wish: with reduced motion, no transitions (modals, lists, tabs appear at
 * once) and no wave on a click.
 */
export const motionSettings = (reduced: boolean): Pick<ConfigProviderProps, 'theme' | 'wave'> =>
  reduced ? { theme: { token: { motion: false } }, wave: { disabled: true } } : {};

const browserWindow = (): MediaSource => (typeof window === 'undefined' ? undefined : window);

/** Whether the user asks for reduced motion, following a change while the console is open. */
export const useReducedMotion = (): boolean =>
  useSyncExternalStore(
    (changed) => watchReducedMotion(browserWindow(), changed),
    () => prefersReducedMotion(browserWindow()),
    () => false,
  );
