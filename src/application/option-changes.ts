import { invalid } from '../domain/errors.ts';
import { message } from '../domain/messages.ts';
import {
  findOptionChanges,
  mapJobOptions,
  rewriteOptions,
  type OptionChange,
  type OptionFinding,
} from '../domain/sql/connector-options.ts';

/** What moving a script and its job options from one Flink version to another changes. */
export interface OptionChangeReport {
  from: string;
  to: string;
  /** Findings in the script, by position. */
  findings: OptionFinding[];
  /** Findings in the job options map. */
  optionFindings: { key: string; change: OptionChange; rewritable: boolean }[];
  /** The script and options with every rewritable finding applied. */
  rewritten: { sql: string; options: Record<string, string> };
  /** How many findings the rewrite applies, and how many the user must handle. */
  applied: number;
  remaining: number;
}

const VERSION = /^\d+\.\d+(\.\d+)?$/;

export function optionChangeReport(
  sql: string,
  options: Record<string, string>,
  from: string,
  to: string,
): OptionChangeReport {
  for (const [field, v] of [
    ['from', from],
    ['to', to],
  ] as const)
    if (!VERSION.test(v)) throw invalid(field, message('sql.badFlinkVersion', { version: v }));
  const findings = findOptionChanges(sql, from, to);
  const script = rewriteOptions(sql, from, to);
  const opts = mapJobOptions(options, from, to);
  return {
    from,
    to,
    findings,
    optionFindings: [
      ...opts.applied.map((change) => ({ key: change.from, change, rewritable: true })),
      ...opts.remaining.map((change) => ({ key: change.from, change, rewritable: false })),
    ],
    rewritten: { sql: script.sql, options: opts.options },
    applied: script.applied.length + opts.applied.length,
    remaining: script.remaining.length + opts.remaining.length,
  };
}
