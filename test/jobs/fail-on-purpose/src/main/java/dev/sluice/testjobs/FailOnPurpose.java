package dev.sluice.testjobs;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Fails on purpose after {@code --after N} records (default 20) with a message tests recognise:
 * "sluice test job failed on purpose after N records". Each attempt counts again from zero, so every
 * restart fails the same way. {@code --rate R} records per second (default 20), {@code --name NAME}.
 */
public final class FailOnPurpose {
  public static final String MESSAGE = "sluice test job failed on purpose after %d records";

  public static void main(String[] args) throws Exception {
    final long after = Long.parseLong(arg(args, "--after", "20"));
    final double rate = Double.parseDouble(arg(args, "--rate", "20"));
    final String name = arg(args, "--name", "sluice-fail-on-purpose");

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    GeneratorFunction<Long, Long> identity = i -> i;
    DataGeneratorSource<Long> source =
        new DataGeneratorSource<>(identity, Long.MAX_VALUE, RateLimiterStrategy.perSecond(rate), Types.LONG);
    env.fromSource(source, WatermarkStrategy.noWatermarks(), "numbers")
        .uid("numbers")
        .map(new FailAfter(after))
        .uid("fail-after")
        .print()
        .uid("print");
    env.execute(name);
  }

  /** Passes records on until the N-th, then throws. */
  static final class FailAfter implements MapFunction<Long, String> {
    private final long after;
    private long seen;

    FailAfter(long after) {
      this.after = after;
    }

    @Override
    public String map(Long value) {
      if (++seen >= after) throw new IllegalStateException(String.format(MESSAGE, after));
      return "record " + seen + " of " + after;
    }
  }

  static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) if (args[i].equals(name)) return args[i + 1];
    return fallback;
  }
}
