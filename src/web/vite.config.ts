import path from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The console is built into dist/web and served by `sluice server` from the same origin as the API.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  resolve: {
    // monaco-sql-languages imports the bare 'monaco-editor' (its main entry: every language of Monaco)
    // while the console imports Monaco's API. Two entries meant contributions registered after the
    // first editor was made ("depends on UNKNOWN service ISuggestMemories") and no suggest widget.
    // Both now load the editor core with all of its contributions, once, and none of the other languages.
    alias: [{ find: /^monaco-editor$/, replacement: 'monaco-editor/esm/vs/editor/edcore.main.js' }],
  },
  build: {
    outDir: path.resolve(import.meta.dirname, '../../dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
