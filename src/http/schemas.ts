// The schemas moved to the API contract (src/contract), which the CLI and the console import too.
export * from '../contract/common.ts';
