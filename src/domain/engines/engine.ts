/** An installed Flink engine: one version's runtime on disk that local clusters are started from. */
export interface Engine {
  /** The key users name it by: `1.20`. */
  version: string;
  /** The exact Flink release: `1.20.3`. */
  flinkVersion: string;
  home: string;
  /** `provisioned` by Sluice from Maven, or `registered` from an existing Flink distribution. */
  source: 'provisioned' | 'registered';
  isDefault: boolean;
  installedAt: string;
}

/** `1.19.1` -> `1.19`; engines are keyed by minor version so `--engine 1.20` always means one thing. */
export function engineKey(flinkVersion: string): string {
  return flinkVersion.split('.').slice(0, 2).join('.');
}
