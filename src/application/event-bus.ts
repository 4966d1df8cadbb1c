import { EventEmitter } from 'node:events';
import type { JobEvent, Submission } from '../domain/jobs/submission.ts';
import type { AlertHistoryEntry } from './ports/alerts.ts';

/** What is pushed to clients at /api/v1/events. */
export type PlatformEvent =
  | { type: 'job.state'; jobName: string; event: JobEvent }
  | { type: 'submission'; jobName: string; submission: Submission }
  | { type: 'alert'; jobName: string; alert: AlertHistoryEntry };

/** In-process publish/subscribe for state changes and submission progress. */
export class EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(e: PlatformEvent): void {
    this.emitter.emit('event', e);
  }

  subscribe(fn: (e: PlatformEvent) => void): () => void {
    this.emitter.on('event', fn);
    return () => this.emitter.off('event', fn);
  }
}
