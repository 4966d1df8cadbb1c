import type { DestinationStream } from 'pino';
import { maskSecrets } from '../domain/workspace/variables.ts';

/**
 * Every secret value this process has seen, so that anything leaving it (API answers, event streams,
 * logs, stored submission logs and error messages) can be masked, even where no service is at hand.
 */
const knownSecrets = new Set<string>();

export function rememberSecret(value: string): void {
  knownSecrets.add(value);
}

/** The secret values themselves, for masking that must find them inside values (the Flink UI proxy). */
export function knownSecretValues(): string[] {
  return [...knownSecrets];
}

export function maskKnownSecrets(text: string): string {
  return knownSecrets.size ? maskSecrets(text, [...knownSecrets]) : text;
}

/** A log destination that masks each finished line, whatever objects the line was made from. */
export function maskingDestination(dest: DestinationStream): DestinationStream {
  return { write: (line: string) => dest.write(maskKnownSecrets(line)) };
}
