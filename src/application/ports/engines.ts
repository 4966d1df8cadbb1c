/** What the engine service needs from the machine: reading Flink installations and assembling new ones. */

/** A Flink installation on disk, provisioned by Sluice or an upstream binary distribution. */
export interface FlinkDistribution {
  home: string;
  flinkVersion: string;
  /** The JobManager/TaskManager classpath: `lib/*.jar` sorted, `flink-dist` last as bin/config.sh does. */
  classpath: string[];
  /** Added to the classpath of the SQL Gateway only. */
  gatewayJars: string[];
}

export interface CatalogFactoryFound {
  /** What `'type' = '...'` of CREATE CATALOG names. */
  type: string;
  factoryClass: string;
  /** The jar's file name. */
  jar: string;
}

export interface CatalogFactoryScan {
  factories: CatalogFactoryFound[];
  /** Catalog factories whose identifier is not a constant in their class file (Flink still has them). */
  unreadable: { factoryClass: string; jar: string; reason: string }[];
}

export interface ProvisionRequest {
  enginesDir: string;
  version: string;
  mavenLocalRepository?: string | undefined;
  mavenMirror?: string | undefined;
  progress?: (line: string) => void;
}

export interface ProvisionResult {
  minor: string;
  flinkVersion: string;
  home: string;
  artifacts: number;
  /** Files Maven downloaded during this run (0 when everything was cached or already installed). */
  downloaded: number;
  /** True when a verified installation was already in place and nothing was done. */
  alreadyInstalled: boolean;
  repairedArtifacts: string[];
}

export interface EngineInstallations {
  /** Reads an installation; throws a SluiceError saying what is missing when it is not one. */
  inspect(home: string): FlinkDistribution;
  /** The catalog factories the jars hold (read from their class files, no JVM). */
  scanCatalogFactories(jars: string[]): CatalogFactoryScan;
  /** Assembles (or verifies) the installation of a version under `enginesDir`. */
  provision(request: ProvisionRequest): Promise<ProvisionResult>;
}
