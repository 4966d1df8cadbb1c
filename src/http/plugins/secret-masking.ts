import type { FastifyInstance } from 'fastify';
import { maskKnownSecrets } from '../../application/secret-masking.ts';

/**
 * The last line of defence: no answer leaves the API with a secret value in it, whatever route built
 * it (Flink error texts, debug rows, plans).
 */
export function registerSecretMasking(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, _reply, payload) =>
    typeof payload === 'string' ? maskKnownSecrets(payload) : payload,
  );
}
