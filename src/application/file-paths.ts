import fs from 'node:fs';
import { SluiceError } from '../domain/errors.ts';
import path from 'node:path';
import { renderMessage } from '../domain/messages.ts';
import { checkFilePaths, filePathMessage, filePathsOutside } from '../domain/sql/file-paths.ts';
import type { ResolveValue } from '../domain/sql/lineage/types.ts';
import type { SqlProblem } from '../domain/sql/syntax.ts';

/**
 * The folders on the cluster's machine that job SQL may read and write through `file:` paths
 * (SLUICE_ALLOWED_FILE_PATHS), checked when a script is validated, saved, started, debugged or planned.
 */
export class AllowedFilePaths {
  constructor(
    readonly folders: readonly string[],
    private readonly realpath: (p: string) => string = realpathOfExisting,
  ) {}

  /** The script's options that name a file outside the folders, as problems at their values. */
  problems(sql: string, resolve?: ResolveValue): SqlProblem[] {
    return filePathsOutside(sql, this.folders, this.realpath, resolve).map((o) => ({
      severity: 'error',
      source: 'platform',
      line: o.line,
      column: o.column,
      endLine: o.line,
      endColumn: o.column + o.value.length + 2,
      text: o.value,
      message: renderMessage(filePathMessage(o, this.folders)),
    }));
  }

  /** Refuses the first of the scripts (a job's SQL, its catalogs' statements) that names a file outside the folders. */
  check(scripts: readonly string[], resolve?: ResolveValue, field = 'sql'): void {
    for (const sql of scripts) checkFilePaths(sql, this.folders, { realpath: this.realpath, resolve, field });
  }

  /** Refuses the CREATE CATALOG statement of a workspace catalog that names a file outside the folders. */
  checkCatalog(statement: string): void {
    const o = filePathsOutside(statement, this.folders, this.realpath)[0];
    if (o)
      throw new SluiceError('invalid_argument', filePathMessage(o, this.folders, true), {
        field: `options.${o.option}`,
      });
  }
}

/** `p` with the symbolic links of its longest existing part followed: a link cannot lead out of a folder. */
export function realpathOfExisting(p: string): string {
  const rest: string[] = [];
  for (let head = p; ;) {
    try {
      return path.join(fs.realpathSync(head), ...rest);
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return p;
      rest.unshift(path.basename(head));
      head = parent;
    }
  }
}
