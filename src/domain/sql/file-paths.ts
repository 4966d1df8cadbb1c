/**
 * Files on the cluster's own machine that a script names: a table's `path` (the filesystem connector),
 * any option whose value is a `file:` URI, and path-like options (`...path`, `...dir`, `...location`,
 * `...file`, `warehouse`) of tables and catalogs with a plain path. Flink opens these as the user the
 * cluster runs as, so a script could read or write any file that user can: each must lie under one of
 * the folders of the job's space (its own, set by a platform admin, else `<home>/files/<space>`) or
 * under a folder every space may use (SLUICE_ALLOWED_FILE_PATHS).
 *
 * Pure apart from `realpath`, which the caller gives to follow symbolic links.
 */
import path from 'node:path';
import { SluiceError } from '../errors.ts';
import { message } from '../messages.ts';
import { normalizePath } from './lineage/resources.ts';
import type { ResolveValue } from './lineage/types.ts';
import { readSet, splitStatements } from './statements.ts';
import { readCreateCatalog, readCreateTable } from './table-ddl.ts';
import { tokenize, type Token } from './tokens.ts';

export interface LocalFileOption {
  /** Where the option is: a table's or catalog's WITH, or a `SET` of the script. */
  kind: 'table' | 'catalog' | 'set';
  /** The table's or catalog's name as declared; '' for a SET. */
  name: string;
  option: string;
  /** The option's value as written. */
  value: string;
  /** The absolute local path, `..` resolved; null for a relative path (relative to a Flink process's working folder). */
  path: string | null;
  /** 1-based position of the value in the script. */
  line: number;
  column: number;
}

/** Option keys that name a file or folder whatever the connector or catalog (a Kafka keystore's location, Paimon's warehouse, Hive's conf dir, a checkpoint dir...). */
const PATH_KEY = /(^|[.-])(path|paths|dir|directory|location|file|files|warehouse)$/i;
const SCHEME = /^([a-zA-Z][\w+.-]*):/;

/**
 * The local path a value names: `file:` URIs, and plain paths where the key names a path (Flink reads a
 * path without a scheme on its default file system, the local one). undefined: not a local file (another
 * scheme such as s3:// or hdfs://, or a key that names no path).
 */
export function localPathOf(key: string, value: string): string | null | undefined {
  const v = value.trim();
  const scheme = SCHEME.exec(v)?.[1]?.toLowerCase();
  if (scheme === 'file') {
    // Whatever the authority (`file://host/x`), Flink's local file system opens `/x` on this machine.
    const m = /^file:\/\/[^/]*(\/.*)$/.exec(normalizePath(v));
    return m ? path.posix.normalize(m[1]!) : null;
  }
  if (scheme || !v || !PATH_KEY.test(key)) return undefined;
  return v.startsWith('/') ? path.posix.normalize(v) : null;
}

/**
 * Every option of the script's tables and catalogs that names a local file or folder. `resolve`
 * substitutes variables in the values; a value still holding a reference (a secret, an undefined
 * variable) is not judged here but where the script runs, with every variable substituted.
 */
export function localFileOptions(script: string, resolve?: ResolveValue): LocalFileOption[] {
  const out: LocalFileOption[] = [];
  for (const st of splitStatements(script)) {
    const emit = (kind: LocalFileOption['kind'], name: string, key: string, raw: string, at: Token) => {
      const value = resolve ? resolve(raw).text : raw;
      const local = value.includes('${') ? undefined : localPathOf(key, value);
      if (local === undefined) return;
      const nl = st.text.lastIndexOf('\n', at.start - 1);
      out.push({
        kind,
        name,
        option: key,
        value,
        path: local,
        line: st.line + at.line,
        column: nl < 0 ? st.column + at.start : at.start - nl,
      });
    };
    if (st.kind === 'set') {
      const kv = readSet(tokenize(st.text));
      if (kv) emit('set', '', kv.key.value, kv.value.value, kv.value);
      continue;
    }
    if (st.kind !== 'ddl' || !/^CREATE\b/i.test(st.text)) continue;
    const tokens = tokenize(st.text);
    const table = readCreateTable(st.text, tokens);
    const declared = table ?? readCreateCatalog(st.text, tokens);
    for (const o of declared?.optionList ?? [])
      emit(table ? 'table' : 'catalog', declared!.name, o.key, o.value, o.valueToken);
  }
  return out;
}

/** True when `file` is `folder` or inside it (both absolute and normalised). */
export function isUnder(file: string, folder: string): boolean {
  const f = folder.replace(/\/+$/, '');
  return file === f || file.startsWith(`${f}/`) || f === '';
}

/**
 * The options of the script that name a local file outside every allowed folder. `realpath` follows
 * the symbolic links of the part of a path that exists, so that a link inside an allowed folder cannot
 * point out of it; the allowed folders are read through it too.
 */
export function filePathsOutside(
  script: string,
  allowed: readonly string[],
  realpath: (p: string) => string = (p) => p,
  resolve?: ResolveValue,
): LocalFileOption[] {
  const folders = allowed.map((f) => realpath(path.posix.normalize(f)));
  return localFileOptions(script, resolve).filter(
    (o) => o.path === null || !folders.some((f) => isUnder(realpath(o.path!), f)),
  );
}

/**
 * The folders a space's job SQL may name files in: its own list (set by a platform admin, else its
 * default folder `<home>/files/<space>`) and the folders every space may use (SLUICE_ALLOWED_FILE_PATHS).
 */
export interface SpaceFolders {
  space: string;
  /** The space's own folders: what `sluice space folders S --set` replaces. */
  own: readonly string[];
  /** Its own and the shared ones: what its scripts may name. */
  allowed: readonly string[];
}

/** The folder a space without a list of its own uses, so that spaces are apart by default. */
export const defaultSpaceFolder = (home: string, space: string): string =>
  path.posix.join(home, 'files', space);

/** Refuses a script that names a local file outside the space's folders, naming the first such option. */
export function checkFilePaths(
  script: string,
  folders: SpaceFolders,
  how: { realpath?: (p: string) => string; resolve?: ResolveValue | undefined; field?: string } = {},
): void {
  const o = filePathsOutside(script, folders.allowed, how.realpath, how.resolve)[0];
  if (o)
    throw new SluiceError('invalid_argument', filePathMessage(o, folders), {
      field: how.field ?? 'sql',
      line: o.line,
      space: folders.space,
    });
}

/**
 * The refusal of `o`, naming the space, its folders and the command that would allow the path (the
 * space's own list with it added); a workspace catalog's (whose statement Sluice wrote) has no line.
 */
export function filePathMessage(o: LocalFileOption, folders: SpaceFolders, workspaceCatalog = false) {
  const where = {
    name: o.name,
    option: o.option,
    path: o.value,
    space: folders.space,
    allowed: folders.allowed.join(', ') || '(none)',
    suggested: [...folders.own, o.path ?? '/absolute/folder'].join(','),
  };
  if (workspaceCatalog) return message('catalog.fileOutside', where);
  const code =
    o.kind === 'table'
      ? 'sql.tableFileOutside'
      : o.kind === 'catalog'
        ? 'sql.catalogFileOutside'
        : 'sql.setFileOutside';
  return message(code, { ...where, line: o.line });
}

/** An absolute folder, normalised without a trailing slash; undefined for a relative one. */
function absoluteFolder(entry: string): string | undefined {
  if (!entry.startsWith('/')) return undefined;
  return path.posix.normalize(entry).replace(/(.)\/+$/, '$1');
}

/**
 * SLUICE_ALLOWED_FILE_PATHS: absolute folders, comma-separated, that every space's jobs may use
 * beside the space's own; unset or empty, none (each space has its own folders only).
 */
export function parseAllowedFilePaths(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    const folder = absoluteFolder(entry);
    if (folder === undefined)
      throw new SluiceError('invalid_argument', message('config.allowedFilePathRelative', { entry }), {
        setting: 'SLUICE_ALLOWED_FILE_PATHS',
        entry,
      });
    return folder;
  });
}

/**
 * A space's own folders as an admin gives them: each absolute (the first that is not is refused,
 * named), normalised, each once, in the order given.
 */
export function parseSpaceFolders(space: string, folders: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of folders) {
    const entry = raw.trim();
    const folder = absoluteFolder(entry);
    if (folder === undefined)
      throw new SluiceError('invalid_argument', message('space.fileFolderRelative', { entry: raw, space }), {
        field: 'folders',
        entry: raw,
      });
    if (!out.includes(folder)) out.push(folder);
  }
  return out;
}
