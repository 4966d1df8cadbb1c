package dev.sluice.testjobs;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Counts records per key in keyed state and prints every new count as {@code key=count} (the
 * TaskManager's .out file), so a test sees the counts continue after a restore from a savepoint.
 * Arguments: {@code --keys N} (default 3), {@code --rate R} records per second (default 10),
 * {@code --name NAME} the Flink job's name, {@code --require-class C} a class that main() and each
 * task load by name (from an artifact on the job's classpath) before counting, printing
 * {@code loaded C} to the TaskManager's .out. Only APIs present in Flink 1.19, 1.20 and 2.x.
 */
public final class StatefulCounter {
  public static void main(String[] args) throws Exception {
    final int keys = Integer.parseInt(arg(args, "--keys", "3"));
    final double rate = Double.parseDouble(arg(args, "--rate", "10"));
    final String name = arg(args, "--name", "sluice-stateful-counter");
    final String required = arg(args, "--require-class", null);
    // Fails the submission at once when the job's classpath lacks it.
    if (required != null) Class.forName(required, true, Thread.currentThread().getContextClassLoader());

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    GeneratorFunction<Long, String> keyOf = i -> "k" + (i % keys);
    DataGeneratorSource<String> source =
        new DataGeneratorSource<>(keyOf, Long.MAX_VALUE, RateLimiterStrategy.perSecond(rate), Types.STRING);
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "keys")
        .uid("keys")
        .keyBy(k -> k)
        .process(new CountPerKey(required))
        .uid("count-per-key")
        .print()
        .uid("print");
    env.execute(name);
  }

  /** The state a savepoint must carry: one count per key. */
  static final class CountPerKey extends KeyedProcessFunction<String, String, String> {
    private final String required;
    private transient ValueState<Long> count;

    CountPerKey(String required) {
      this.required = required;
    }

    @Override
    public void open(OpenContext context) throws Exception {
      if (required != null) {
        // A task's context class loader is the job's user code class loader.
        Class.forName(required, true, Thread.currentThread().getContextClassLoader());
        System.out.println("loaded " + required);
      }
      count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
    }

    @Override
    public void processElement(String key, Context ctx, Collector<String> out) throws Exception {
      Long seen = count.value();
      long next = (seen == null ? 0 : seen) + 1;
      count.update(next);
      out.collect(key + "=" + next);
    }
  }

  static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
    return fallback;
  }
}
