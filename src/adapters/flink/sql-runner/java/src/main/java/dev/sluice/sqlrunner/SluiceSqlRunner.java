package dev.sluice.sqlrunner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableConfig;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;

/**
 * Runs one SQL job from the JSON file Sluice writes (its path is the only argument): options, then
 * ADD JAR for each jar, then catalog and setup statements in order, then every INSERT as one statement
 * set, so the script is exactly one Flink job. Sluice's own splitter has already split and checked the
 * script; this runs what it was given and nothing else.
 *
 * <p>A failure prints one line to stderr naming the statement (its line in the script) and Flink's root
 * cause, then the trace. Inside Flink (a JAR run on a session, an application cluster) it is rethrown
 * with that line as its message, since System.exit would end the JobManager; run by {@code java}
 * itself it exits with status 1.
 */
public final class SluiceSqlRunner {
  static final String FORMAT = "sluice-sql-runner/1";
  static final String PREFIX = "Sluice SQL runner: ";

  /** Set by Flink for this run (a job id Sluice chose, a savepoint to restore): never overridden. */
  static final String[] FLINK_OWNED = {"$internal.pipeline.job-id", "execution.savepoint.path"};

  private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

  public static void main(String[] args) throws Exception {
    boolean plainJvm = launchedByJava();
    try {
      if (args.length != 1)
        throw new Failure("expects one argument, the path of the script file Sluice wrote", null);
      TableResult result = run(Script.read(args[0]));
      Optional<String> jobId =
          result.getJobClient().map(c -> c.getJobID().toString());
      System.out.println(PREFIX + "submitted job " + jobId.orElse("(no job id)"));
      // Inside Flink the job outlives main; run by java, main must wait or the local cluster ends.
      if (plainJvm) result.await();
    } catch (Failure f) {
      System.err.println(f.getMessage());
      if (f.getCause() != null) f.getCause().printStackTrace();
      if (plainJvm) System.exit(1);
      throw f;
    }
  }

  static TableResult run(Script script) {
    TableEnvironment tEnv = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    TableConfig config = tEnv.getConfig();
    ReadableConfig flink = config.getRootConfiguration();
    for (Map.Entry<String, String> o : script.options.entrySet()) {
      if (flinkOwned(o.getKey())) {
        Optional<String> given =
            flink.getOptional(ConfigOptions.key(o.getKey()).stringType().noDefaultValue());
        if (given.isPresent()) {
          System.out.println(
              PREFIX + "keeps " + o.getKey() + " = " + given.get() + " from Flink's configuration");
          continue;
        }
      }
      config.set(o.getKey(), o.getValue());
    }
    for (String jar : script.jars)
      step(tEnv, "ADD JAR '" + jar.replace("'", "''") + "'", "adding the jar " + jar, null);
    for (Statement s : script.catalogs) step(tEnv, s.sql, s.where(), s);
    for (Statement s : script.setup) step(tEnv, s.sql, s.where(), s);
    if (script.inserts.isEmpty()) throw new Failure(PREFIX + "the script has no INSERT to run", null);
    StatementSet set = tEnv.createStatementSet();
    for (Statement s : script.inserts) {
      try {
        set.addInsertSql(s.sql);
      } catch (RuntimeException e) {
        throw failure(s.where(), s, e);
      }
    }
    List<String> lines = new ArrayList<>();
    for (Statement s : script.inserts) lines.add(s.line == null ? "?" : String.valueOf(s.line));
    try {
      return set.execute();
    } catch (RuntimeException e) {
      throw failure(
          "submitting the job (the INSERT" + (lines.size() > 1 ? "s at lines " : " at line ")
              + String.join(", ", lines) + ")",
          null,
          e);
    }
  }

  private static void step(TableEnvironment tEnv, String sql, String where, Statement s) {
    try {
      tEnv.executeSql(sql);
    } catch (RuntimeException e) {
      throw failure(where, s, e);
    }
  }

  private static boolean flinkOwned(String key) {
    for (String k : FLINK_OWNED) if (k.equals(key)) return true;
    return false;
  }

  /** One line: where, Flink's root cause, and the position in the script when Flink named one. */
  static Failure failure(String where, Statement s, Throwable e) {
    Throwable root = e;
    String position = null;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null) root = t;
      Matcher m = t.getMessage() == null ? null : POSITION.matcher(t.getMessage());
      if (position == null && m != null && m.find() && s != null && s.line != null) {
        int line = Integer.parseInt(m.group(1));
        int column = Integer.parseInt(m.group(2));
        int col = s.column == null ? column : line == 1 ? s.column + column - 1 : column;
        position = "line " + (s.line + line - 1) + ", column " + col + " of the script";
      }
    }
    String cause = root.getMessage() == null ? root.getClass().getName() : root.getMessage().trim();
    int nl = cause.indexOf('\n');
    if (nl >= 0) cause = cause.substring(0, nl).trim();
    return new Failure(
        PREFIX + where + " failed: " + cause + (position == null ? "" : " (at " + position + ")"), e);
  }

  /** True when java started this class itself, not Flink through its program runner. */
  private static boolean launchedByJava() {
    StackTraceElement[] stack = Thread.currentThread().getStackTrace();
    return stack.length > 0
        && stack[stack.length - 1].getClassName().equals(SluiceSqlRunner.class.getName());
  }

  /** A failure whose message is the one line to show. */
  static final class Failure extends RuntimeException {
    Failure(String line, Throwable cause) {
      super(line, cause);
    }
  }

  static final class Statement {
    final String sql;
    final Integer line;
    final Integer column;
    final String label;

    Statement(String sql, Integer line, Integer column, String label) {
      this.sql = sql;
      this.line = line;
      this.column = column;
      this.label = label;
    }

    String where() {
      if (line != null) return "the statement at line " + line;
      return label != null ? label : "a statement without a line";
    }
  }

  /** The file Sluice writes (src/adapters/flink/sql-runner/sql-runner-script.ts). */
  static final class Script {
    final Map<String, String> options = new java.util.LinkedHashMap<>();
    final List<String> jars = new ArrayList<>();
    final List<Statement> catalogs = new ArrayList<>();
    final List<Statement> setup = new ArrayList<>();
    final List<Statement> inserts = new ArrayList<>();

    static Script read(String file) {
      String text;
      try {
        text = new String(Files.readAllBytes(Paths.get(file)), StandardCharsets.UTF_8);
      } catch (Exception e) {
        throw new Failure(PREFIX + "cannot read the script file " + file + ": " + e, e);
      }
      try {
        return from(Json.parse(text));
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new Failure(PREFIX + "the script file " + file + " is not valid: " + e.getMessage(), e);
      }
    }

    @SuppressWarnings("unchecked")
    static Script from(Object json) {
      if (!(json instanceof Map)) throw new IllegalArgumentException("expected a JSON object");
      Map<String, Object> m = (Map<String, Object>) json;
      if (!FORMAT.equals(m.get("format")))
        throw new IllegalArgumentException(
            "format is " + m.get("format") + ", this runner reads " + FORMAT);
      Script s = new Script();
      Object options = m.get("options");
      if (options != null)
        for (Map.Entry<String, Object> e : ((Map<String, Object>) options).entrySet())
          s.options.put(e.getKey(), String.valueOf(e.getValue()));
      Object jars = m.get("jars");
      if (jars != null) for (Object j : (List<Object>) jars) s.jars.add((String) j);
      statements(m.get("catalogs"), s.catalogs);
      statements(m.get("setup"), s.setup);
      statements(m.get("inserts"), s.inserts);
      return s;
    }

    @SuppressWarnings("unchecked")
    private static void statements(Object list, List<Statement> into) {
      if (list == null) return;
      for (Object o : (List<Object>) list) {
        Map<String, Object> st = (Map<String, Object>) o;
        Object sql = st.get("sql");
        if (!(sql instanceof String)) throw new IllegalArgumentException("a statement has no sql");
        into.add(
            new Statement(
                (String) sql, integer(st.get("line")), integer(st.get("column")),
                (String) st.get("label")));
      }
    }

    private static Integer integer(Object v) {
      return v == null ? null : ((Double) v).intValue();
    }
  }
}
