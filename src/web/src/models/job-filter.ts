import type { LifecycleState } from '../../../domain/jobs/lifecycle.ts';

export interface JobFilter {
  text: string;
  states: LifecycleState[];
  targets: string[];
  engines: string[];
}

/** Jobs matching every filter that is set; the name search ignores case. */
export function filterJobs<
  J extends { name: string; state: LifecycleState; target: string; engineVersion: string },
>(jobs: J[], f: JobFilter): J[] {
  const text = f.text.trim().toLowerCase();
  return jobs.filter(
    (j) =>
      (!text || j.name.toLowerCase().includes(text)) &&
      (!f.states.length || f.states.includes(j.state)) &&
      (!f.targets.length || f.targets.includes(j.target)) &&
      (!f.engines.length || f.engines.includes(j.engineVersion)),
  );
}
