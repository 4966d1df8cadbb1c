import fs from 'node:fs';
import { SluiceError } from '../domain/errors.ts';
import path from 'node:path';
import { renderMessage } from '../domain/messages.ts';
import { DEFAULT_SPACE } from '../domain/access/spaces.ts';
import { message } from '../domain/messages.ts';
import {
  checkFilePaths,
  defaultSpaceFolder,
  filePathMessage,
  filePathsOutside,
  parseSpaceFolders,
  type SpaceFolders,
} from '../domain/sql/file-paths.ts';
import type { SpaceStore } from './ports/spaces.ts';
import type { ResolveValue } from '../domain/sql/lineage/types.ts';
import type { SqlProblem } from '../domain/sql/syntax.ts';

/** A space's folders as the API shows them. */
export interface SpaceFileFolders {
  space: string;
  /** False: no platform admin listed folders for the space; `folders` is its default one. */
  set: boolean;
  /** The space's own folders: those listed for it, else `<home>/files/<space>`. */
  folders: string[];
  /** SLUICE_ALLOWED_FILE_PATHS: folders every space may use beside its own. */
  shared: string[];
}

/**
 * The folders on the cluster's machine that job SQL may read and write through `file:` paths, per
 * space: each space's own (listed by a platform admin, else `<home>/files/<space>`, made when asked
 * for) and the ones every space shares (SLUICE_ALLOWED_FILE_PATHS). Checked when a script is
 * validated, saved, started, debugged or planned, and when a workspace catalog is saved or used,
 * always with the folders of the space the job, run or catalog is in.
 */
export class AllowedFilePaths {
  constructor(
    readonly shared: readonly string[],
    private readonly spaces: Pick<SpaceStore, 'fileFolders' | 'setFileFolders'>,
    private readonly home: string,
    how: {
      realpath?: (p: string) => string;
      /** Makes a space's default folder (a unit test's home is never written). */
      makeFolder?: (folder: string) => void;
    } = {},
  ) {
    this.realpath = how.realpath ?? realpathOfExisting;
    this.makeFolder = how.makeFolder ?? ((f) => fs.mkdirSync(f, { recursive: true }));
  }

  private readonly realpath: (p: string) => string;
  private readonly makeFolder: (folder: string) => void;
  /** Default folders made by this process: the editor's checks ask for them at every keystroke. */
  private readonly made = new Set<string>();

  /** The space's folders; its default folder is made here, so a job of a new space can write in it. */
  async of(space: string | null | undefined): Promise<SpaceFileFolders> {
    const name = space ?? DEFAULT_SPACE;
    const listed = await this.spaces.fileFolders(name);
    const folders = listed ?? [defaultSpaceFolder(this.home, name)];
    // Made when first needed; a space that does not exist (a check racing its removal) gets none.
    if (listed === null && !this.made.has(folders[0]!)) {
      this.makeFolder(folders[0]!);
      this.made.add(folders[0]!);
    }
    return { space: name, set: !!listed, folders, shared: [...this.shared] };
  }

  /** Lists the space's own folders (null: back to its default); refuses a relative one by name. */
  async set(space: string, folders: readonly string[] | null): Promise<SpaceFileFolders> {
    const parsed = folders === null ? null : parseSpaceFolders(space, folders);
    if (!(await this.spaces.setFileFolders(space, parsed)))
      throw new SluiceError('not_found', message('space.notFound', { space }), { space });
    return this.of(space);
  }

  private async scope(space: string | null | undefined): Promise<SpaceFolders> {
    const f = await this.of(space);
    return { space: f.space, own: f.folders, allowed: [...f.folders, ...f.shared] };
  }

  /** The script's options that name a file outside the space's folders, as problems at their values. */
  async problems(
    sql: string,
    space: string | null | undefined,
    resolve?: ResolveValue,
  ): Promise<SqlProblem[]> {
    const folders = await this.scope(space);
    return filePathsOutside(sql, folders.allowed, this.realpath, resolve).map((o) => ({
      severity: 'error',
      source: 'platform',
      line: o.line,
      column: o.column,
      endLine: o.line,
      endColumn: o.column + o.value.length + 2,
      text: o.value,
      message: renderMessage(filePathMessage(o, folders)),
    }));
  }

  /** Refuses the first of the scripts (a job's SQL, its catalogs' statements) that names a file outside the space's folders. */
  async check(
    scripts: readonly string[],
    space: string | null | undefined,
    resolve?: ResolveValue,
    field = 'sql',
  ): Promise<void> {
    const folders = await this.scope(space);
    for (const sql of scripts) checkFilePaths(sql, folders, { realpath: this.realpath, resolve, field });
  }

  /** Refuses the CREATE CATALOG statement of a workspace catalog that names a file outside its space's folders. */
  async checkCatalog(statement: string, space: string | null | undefined): Promise<void> {
    const folders = await this.scope(space);
    const o = filePathsOutside(statement, folders.allowed, this.realpath)[0];
    if (o)
      throw new SluiceError('invalid_argument', filePathMessage(o, folders, true), {
        field: `options.${o.option}`,
        space: folders.space,
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
