import 'monaco-sql-languages/esm/languages/flink/flink.worker';
