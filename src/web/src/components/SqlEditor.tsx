import { useEffect, useRef, type RefObject } from 'react';
import type { SqlProblem } from '../api/sql.ts';
import { monaco } from '../editor/monaco-setup.ts';

/** What the page around the editor may do to it. */
export interface SqlEditorHandle {
  /** Puts the cursor at a line and column (1-based), scrolls it into view and focuses the editor. */
  goTo: (line: number, column: number) => void;
}

/** Monaco with Flink SQL: highlighting, completion, and the platform's problems as markers. */
export function SqlEditor({
  value,
  onChange,
  problems,
  height = 420,
  handle,
}: {
  value: string;
  onChange: (sql: string) => void;
  problems: SqlProblem[];
  height?: number;
  handle?: RefObject<SqlEditorHandle | null>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    const e = monaco.editor.create(host.current!, {
      value,
      language: 'flinksql',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
    });
    editor.current = e;
    if (handle)
      handle.current = {
        goTo: (lineNumber, column) => {
          e.setPosition({ lineNumber, column });
          e.revealPositionInCenterIfOutsideViewport({ lineNumber, column });
          e.focus();
        },
      };
    const sub = e.onDidChangeModelContent(() => changed.current(e.getValue()));
    return () => {
      if (handle) handle.current = null;
      sub.dispose();
      e.dispose();
    };
    // The editor is created once; later values arrive through the effect below.
  }, []);

  useEffect(() => {
    const e = editor.current;
    if (e && e.getValue() !== value) e.setValue(value);
  }, [value]);

  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'sluice',
      problems.map((p) => ({
        severity: p.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Info,
        startLineNumber: p.line,
        startColumn: p.column,
        endLineNumber: p.endLine,
        endColumn: Math.max(p.endColumn, p.column + 1),
        message: p.message,
        source: p.source,
      })),
    );
  }, [problems]);

  return <div ref={host} data-testid="sql-editor" style={{ height, border: '1px solid #d9d9d9' }} />;
}
