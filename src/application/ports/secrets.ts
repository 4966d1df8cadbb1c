/** Seals secret variable values at rest and opens them where SQL runs (the key never leaves the adapter). */
export interface SecretSealer {
  seal(plain: string): string;
  /** `name` is the variable's, for the error when the value cannot be opened (another key, corrupt). */
  open(sealed: string, name: string): string;
}
