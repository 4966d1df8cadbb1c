import { invalid } from '../errors.ts';
import { message } from '../messages.ts';

/** Prometheus refuses a range query of more points per series than this (its own limit). */
export const MAX_POINTS = 11_000;
/** The default step aims at about this many points: enough for a chart's width. */
const TARGET_POINTS = 300;
/** Never finer than the embedded Prometheus's scrape interval: finer points repeat the same sample. */
const MIN_DEFAULT_STEP_SECONDS = 15;
const DEFAULT_SPAN_MS = 3_600_000;

export interface MetricRange {
  start: Date;
  end: Date;
  stepSeconds: number;
}

const time = (field: string, text: string): Date => {
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw invalid(field, message('metrics.badTime', { value: text }));
  return d;
};

/**
 * The range a chart asks for: `to` (default now), `from` (default an hour before `to`), `step` in
 * seconds (default: about 300 points, at least 15 s). Refused, naming the field: a time that is none,
 * `to` not after `from`, a step under one second, more points than Prometheus answers.
 */
export function metricRange(q: { from?: string; to?: string; step?: number }, now: Date): MetricRange {
  const end = q.to === undefined ? now : time('to', q.to);
  const start = q.from === undefined ? new Date(end.getTime() - DEFAULT_SPAN_MS) : time('from', q.from);
  const spanSeconds = (end.getTime() - start.getTime()) / 1000;
  if (spanSeconds <= 0)
    throw invalid(
      'to',
      message('metrics.toNotAfterFrom', { from: start.toISOString(), to: end.toISOString() }),
    );
  const stepSeconds = q.step ?? Math.max(MIN_DEFAULT_STEP_SECONDS, Math.ceil(spanSeconds / TARGET_POINTS));
  if (!(stepSeconds >= 1)) throw invalid('step', message('metrics.stepTooSmall', { step: stepSeconds }));
  const points = Math.floor(spanSeconds / stepSeconds) + 1;
  if (points > MAX_POINTS)
    throw invalid(
      'step',
      message('metrics.tooManyPoints', {
        points,
        max: MAX_POINTS,
        step: stepSeconds,
        least: Math.ceil(spanSeconds / (MAX_POINTS - 1)),
      }),
    );
  return { start, end, stepSeconds };
}
