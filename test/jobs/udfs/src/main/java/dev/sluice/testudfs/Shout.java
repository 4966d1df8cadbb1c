package dev.sluice.testudfs;

import org.apache.flink.table.functions.ScalarFunction;

/** A scalar function: {@code shout('hi')} is {@code 'HI!'}. */
public class Shout extends ScalarFunction {
  public String eval(String s) {
    return s == null ? null : s.toUpperCase() + "!";
  }
}
