import { ConsoleErrorListener } from 'antlr4ng';
import 'monaco-sql-languages/esm/languages/flink/flink.worker';

// Completion parses the script as it is being typed, so it is rarely valid; ANTLR's default listener
// would print each of those syntax errors to the console. The platform's checker reports the real ones.
ConsoleErrorListener.INSTANCE.syntaxError = () => undefined;
