import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
import 'monaco-sql-languages/esm/languages/flink/flink.contribution';
import {
  setupLanguageFeatures,
  LanguageIdEnum,
  type CompletionService,
  type ICompletionItem,
} from 'monaco-sql-languages';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import FlinkWorker from './flink.worker.ts?worker';

declare global {
  interface Window {
    MonacoEnvironment?: monaco.Environment;
  }
}

window.MonacoEnvironment = {
  getWorker: (_id, label) => (label === LanguageIdEnum.FLINK ? new FlinkWorker() : new EditorWorker()),
};

/** Extra names offered by completion: tables of the chosen catalogs, set by the editor page. */
export const completionNames: { tables: string[] } = { tables: [] };

/**
 * Keywords from the grammar's suggestions, plus the tables and columns the script declares and the
 * tables of the job's catalogs.
 */
const completionService: CompletionService = async (_model, _position, _context, suggestions, entities) => {
  const items: ICompletionItem[] = [];
  const seen = new Set<string>();
  const add = (label: string, kind: monaco.languages.CompletionItemKind, detail: string) => {
    if (seen.has(label)) return;
    seen.add(label);
    items.push({ label, kind, detail, insertText: label, sortText: `${kind}${label}` });
  };
  for (const k of suggestions?.keywords ?? []) add(k, monaco.languages.CompletionItemKind.Keyword, 'keyword');
  for (const e of entities ?? []) {
    const kind = String(e.entityContextType);
    if (kind.includes('table') || kind.includes('view'))
      add(e.text, monaco.languages.CompletionItemKind.Class, kind.includes('view') ? 'view' : 'table');
    const columns = (e as { columns?: { text: string }[] }).columns ?? [];
    for (const c of columns) add(c.text, monaco.languages.CompletionItemKind.Field, `column of ${e.text}`);
  }
  for (const t of completionNames.tables) add(t, monaco.languages.CompletionItemKind.Module, 'catalog table');
  return items;
};

// Syntax errors come from the platform (same checker as the API, with its grammar-gap rules), so the
// worker's own diagnostics stay off and never contradict them.
setupLanguageFeatures(LanguageIdEnum.FLINK, {
  completionItems: { enable: true, completionService },
  diagnostics: false,
});

export { monaco };
