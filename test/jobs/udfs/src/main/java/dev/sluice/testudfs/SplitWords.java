package dev.sluice.testudfs;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.FunctionHint;
import org.apache.flink.table.functions.TableFunction;
import org.apache.flink.types.Row;

/** A table function: one row (word, position) per space-separated word of its argument. */
@FunctionHint(output = @DataTypeHint("ROW<word STRING, pos INT>"))
public class SplitWords extends TableFunction<Row> {
  public void eval(String s) {
    if (s == null) return;
    String[] words = s.trim().split("\\s+");
    for (int i = 0; i < words.length; i++) if (!words[i].isEmpty()) collect(Row.of(words[i], i + 1));
  }
}
