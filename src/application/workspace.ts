import type { ArtifactService } from './artifact-service.ts';
import type { CatalogService } from './catalog-service.ts';
import type { AllowedFilePaths } from './file-paths.ts';
import type { VariableService } from './variable-service.ts';

/** What the workspace shares between jobs, as the services that run SQL need it. */
export interface Workspace {
  variables: VariableService;
  catalogs: CatalogService;
  /** Jars jobs name (pinned to exact versions when a job version is saved), and their files. */
  artifacts: Pick<ArtifactService, 'pin' | 'jobJars' | 'entryClassIn' | 'file'>;
  /** The folders job SQL may name files in. */
  files: AllowedFilePaths;
}
