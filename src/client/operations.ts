import { operations as O, type Operation } from '../contract/engines.ts';
import { ApiError, type Transport } from './http.ts';

/** Background operations (engine installs, cluster starts) and their progress lines. */
export const operationsClient = (t: Transport) => {
  const get = (id: string, after = 0) => t.call(O.get, { params: { id }, query: { after } });
  return {
    get,
    /** Polls an operation until it ends, passing each new progress line to `onLine`; a failure throws. */
    async follow(op: Operation, onLine: (line: string) => void, intervalMs = 100): Promise<Operation> {
      let seen = 0;
      let current = op;
      for (;;) {
        current = await get(op.id, seen);
        for (const l of current.lines) onLine(l.text);
        seen += current.lines.length;
        if (current.status !== 'running') break;
        await new Promise((r) => setTimeout(r, intervalMs));
      }
      if (current.status === 'failed' && current.error)
        throw new ApiError(
          0,
          current.error.code,
          current.error.message,
          current.error.details,
          current.error.messageCode,
          current.error.messageParams,
        );
      return current;
    },
  };
};
