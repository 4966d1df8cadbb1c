import { Type } from 'typebox';

/**
 * An artifact name. Its rule (lower-case letters, digits, '.', '_', '-') is checked by the platform,
 * whose refusal says how to write one, rather than by a pattern here.
 */
export const ArtifactName = Type.String({ minLength: 1, maxLength: 100 });

/** An exact artifact version a job version names. */
export const ArtifactRef = Type.Object({ name: Type.String(), version: Type.Integer() });

/** `name` or `name@version`, as a user writes a reference. */
export const ArtifactRequest = Type.String({ minLength: 1, maxLength: 111 });
