/**
 * An option whose key names a credential and whose value is typed as it is, not a `${variable}`
 * reference: it would be stored and shown in clear, where a secret variable is sealed and masked.
 */
export function literalCredential(key: string | undefined, value: string | undefined): boolean {
  return (
    !!key &&
    /pass(word)?|secret|token|credential|private[-_.]?key/i.test(key) &&
    !!value?.trim() &&
    !/^\$\{[^}]+\}$/.test(value.trim())
  );
}
