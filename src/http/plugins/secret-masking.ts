import type { FastifyInstance } from 'fastify';
import { maskSecretsIn } from '../../application/secret-masking.ts';

/**
 * The last line of defence: no answer leaves the API with a secret value in it, whatever route built
 * it. Values are masked where they enter the platform; here each answer is walked value by value
 * before it is serialized, never as text, so that no secret can break its JSON.
 */
export function registerSecretMasking(app: FastifyInstance): void {
  app.addHook('preSerialization', async (_req, _reply, payload) => maskSecretsIn(payload));
}
