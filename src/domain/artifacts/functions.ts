/** The kinds of Flink user-defined functions, by the base class a function extends. */
export type FunctionKind =
  'scalar' | 'table' | 'aggregate' | 'table-aggregate' | 'async-scalar' | 'async-table';

/** One signature of a function: the Java types of an eval (accumulate) method and of its result. */
export interface FunctionSignature {
  parameters: string[];
  returns: string;
}

/** A user-defined function class found in a jar. */
export interface UdfFunction {
  className: string;
  kind: FunctionKind;
  signatures: FunctionSignature[];
}

/** The name a function is offered under: its simple class name in lower snake case (`ToUpper` → `to_upper`). */
export function suggestedFunctionName(className: string): string {
  const simple = className.slice(className.lastIndexOf('.') + 1).replace(/\$/g, '_');
  return simple
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** The statement that registers a function from a stored jar, for a user to copy into a script. */
export function createFunctionStatement(fn: UdfFunction, jarPath: string): string {
  const q = (s: string) => s.replace(/'/g, "''");
  return `CREATE TEMPORARY FUNCTION ${suggestedFunctionName(fn.className)} AS '${q(fn.className)}' USING JAR '${q(jarPath)}';`;
}
