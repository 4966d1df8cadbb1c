package dev.sluice.testudfs;

import org.apache.flink.table.functions.AggregateFunction;

/** An aggregate function: the length of the longest string in the group. */
public class LongestLength extends AggregateFunction<Integer, LongestLength.Acc> {
  /** The accumulator: a structured type Flink reads from its public field. */
  public static class Acc {
    public int longest;
  }

  @Override
  public Acc createAccumulator() {
    return new Acc();
  }

  @Override
  public Integer getValue(Acc acc) {
    return acc.longest;
  }

  public void accumulate(Acc acc, String s) {
    if (s != null && s.length() > acc.longest) acc.longest = s.length();
  }

  public void merge(Acc acc, Iterable<Acc> others) {
    for (Acc o : others) if (o.longest > acc.longest) acc.longest = o.longest;
  }
}
