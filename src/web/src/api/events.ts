import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PlatformEvent } from '../../../application/event-bus.ts';
import { jobKeys } from './jobs.ts';

/**
 * Job states and submissions are pushed by the server (/api/v1/events); each event refreshes the
 * queries it changes, so lists and details follow Flink without a reload.
 */
export function usePlatformEvents(): void {
  const qc = useQueryClient();
  useEffect(() => {
    const source = new EventSource('/api/v1/events');
    const onEvent = (e: MessageEvent<string>) => {
      const event = JSON.parse(e.data) as PlatformEvent;
      void qc.invalidateQueries({ queryKey: jobKeys.all, exact: true });
      void qc.invalidateQueries({ queryKey: jobKeys.one(event.jobName) });
    };
    source.addEventListener('job.state', onEvent);
    source.addEventListener('submission', onEvent);
    return () => source.close();
  }, [qc]);
}
