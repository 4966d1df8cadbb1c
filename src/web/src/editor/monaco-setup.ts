// 'monaco-editor' is Monaco's editor core with all of its contributions (see the alias in
// vite.config.ts): the suggest widget, code lenses and the rest are registered before any editor exists.
import * as monaco from 'monaco-editor';
import 'monaco-sql-languages/esm/languages/flink/flink.contribution';
import { setupLanguageFeatures, LanguageIdEnum, type CompletionService } from 'monaco-sql-languages';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import {
  catalogColumnsNeeded,
  sortKey,
  sqlCompletions,
  type CatalogColumn,
  type CatalogTable,
  type CompletionKind,
} from '../models/sql-completion.ts';
import FlinkWorker from './flink.worker.ts?worker';

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment;
  }
}

window.MonacoEnvironment = {
  getWorker: (_id, label) => (label === LanguageIdEnum.FLINK ? new FlinkWorker() : new EditorWorker()),
};

/** The tables of the job's chosen catalogs, and how to read a table's columns (through the engine). */
export interface CatalogCompletion {
  tables: CatalogTable[];
  columns: (table: CatalogTable) => Promise<CatalogColumn[]>;
}

let catalog: CatalogCompletion = { tables: [], columns: async () => [] };
const catalogColumns = new Map<string, CatalogColumn[]>();

/** Set by the editor page whenever the job's catalogs (or its cluster) change. */
export function setCompletionCatalog(next: CatalogCompletion): void {
  catalog = next;
  catalogColumns.clear();
}

const KIND: Record<CompletionKind, monaco.languages.CompletionItemKind> = {
  column: monaco.languages.CompletionItemKind.Field,
  table: monaco.languages.CompletionItemKind.Class,
  view: monaco.languages.CompletionItemKind.Interface,
  function: monaco.languages.CompletionItemKind.Function,
  keyword: monaco.languages.CompletionItemKind.Keyword,
};

/** What the grammar expects at the caret (Monaco's Flink SQL worker), filled in by models/sql-completion. */
const completionService: CompletionService = async (_model, position, _context, suggestions, entities) => {
  const ctx = () => ({ suggestions, entities, catalogTables: catalog.tables, catalogColumns });
  // Columns of a catalog table are read when a statement first needs them, then kept.
  await Promise.all(
    catalogColumnsNeeded(ctx()).map((t) =>
      catalog.columns(t).then(
        (columns) => void catalogColumns.set(t.qualified, columns),
        () => undefined,
      ),
    ),
  );
  return sqlCompletions(ctx()).map((c, i) => ({
    label: c.label,
    kind: KIND[c.kind],
    detail: c.detail,
    insertText: c.insertText,
    sortText: sortKey(c, i),
    ...(c.replaceFrom === undefined
      ? {}
      : {
          range: new monaco.Range(position.lineNumber, c.replaceFrom, position.lineNumber, position.column),
        }),
  }));
};

// Syntax errors come from the platform (same checker as the API, with its grammar-gap rules), so the
// worker's own diagnostics stay off and never contradict them.
setupLanguageFeatures(LanguageIdEnum.FLINK, {
  completionItems: { enable: true, completionService },
  diagnostics: false,
});

export { monaco };
