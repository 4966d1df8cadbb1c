import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cachedJar, compileAgainstEngine } from './javac.ts';

/**
 * A tiny real UDF jar, compiled here with javac against an engine's own jars (flink-table-common is in
 * its lib/): a scalar function with two eval overloads, a table function, an aggregate function, an
 * abstract function and a plain class (neither is a function to list). `version` changes the bytes.
 */
export function buildUdfJar(dir: string, engineHome: string, opts: { version?: number } = {}): string {
  const version = opts.version ?? 1;
  const java = {
    'ToUpper.java': `package dev.sluice.udf;
import org.apache.flink.table.functions.ScalarFunction;
public class ToUpper extends ScalarFunction {
  public String eval(String s) { return s == null ? null : s.toUpperCase() + "${'!'.repeat(version - 1)}"; }
  public String eval(Integer i, Boolean pad) { return String.valueOf(i); }
}`,
    'SplitWords.java': `package dev.sluice.udf;
import org.apache.flink.table.functions.TableFunction;
public class SplitWords extends TableFunction<String> {
  public void eval(String s) { for (String w : s.split(" ")) collect(w); }
}`,
    'WeightedAvg.java': `package dev.sluice.udf;
import org.apache.flink.table.functions.AggregateFunction;
public class WeightedAvg extends AggregateFunction<Double, WeightedAvg.Acc> {
  public static class Acc { public long sum; public int count; }
  public Acc createAccumulator() { return new Acc(); }
  public Double getValue(Acc a) { return a.count == 0 ? null : (double) a.sum / a.count; }
  public void accumulate(Acc a, Long value, Integer weight) { a.sum += value * weight; a.count += weight; }
}`,
    'BaseFunction.java': `package dev.sluice.udf;
public abstract class BaseFunction extends org.apache.flink.table.functions.ScalarFunction {}`,
    'Helper.java': `package dev.sluice.udf;
public class Helper { public static void main(String[] a) {} }`,
  };
  const main = 'dev.sluice.udf.Helper';
  return cachedJar(path.join(dir, `sluice-test-udfs-${version}.0.jar`), engineHome, { java, main }, (jar) => {
    const src = path.join(dir, `src-${version}`, 'dev', 'sluice', 'udf');
    const classes = path.join(dir, `classes-${version}`);
    fs.mkdirSync(src, { recursive: true });
    fs.mkdirSync(classes, { recursive: true });
    compileAgainstEngine(engineHome, src, classes, java);
    execFileSync('jar', ['--create', '--file', jar, '--main-class', main, '-C', classes, '.']);
  });
}
