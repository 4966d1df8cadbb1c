/*
 * Sluice's parse-only helper: Flink's own SQL parser, as the planner of the engine configures it, in a
 * long-lived JVM. Compiled by Sluice with javac against the engine's own jars (see sql-parser-build.ts)
 * and started with that classpath, so the parser is always the engine's version.
 *
 * Protocol (UTF-8, one JSON object per line):
 *   start:    {"ready":true,"flinkVersion":"1.20.3","startupMs":812}
 *   request:  {"id":7,"statements":["SELECT 1","INSERT INTO t SELEC 1"]}
 *   answer:   {"id":7,"results":[{"ok":true},{"ok":false,"eof":false,"message":"...","line":1,
 *              "column":15,"endLine":1,"endColumn":19,"kind":"parse"}]}
 * A line that is not a request is answered with {"id":<id or -1>,"error":"..."}. EOF on stdin ends it.
 */
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.calcite.config.Lex;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.flink.sql.parser.validate.FlinkSqlConformance;
import org.apache.flink.table.planner.delegation.FlinkSqlParserFactories;
import org.apache.flink.table.planner.parse.CalciteParser;
import org.apache.flink.table.planner.parse.ExtendedParser;

public final class SluiceSqlParser {
  private SluiceSqlParser() {}

  private static final String[] WARM_UP = {
    "CREATE TABLE t (a INT, b STRING, ts TIMESTAMP(3), p AS PROCTIME(), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,"
        + " PRIMARY KEY (a) NOT ENFORCED) WITH ('connector' = 'datagen')",
    "INSERT INTO s SELECT window_start, b, COUNT(*), SUM(a) FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts),"
        + " INTERVAL '1' MINUTE)) WHERE a > 1 AND b LIKE 'x%' GROUP BY window_start, window_end, b",
    "SELECT a, LAG(a) OVER (PARTITION BY b ORDER BY ts) FROM t LEFT JOIN d FOR SYSTEM_TIME AS OF t.p AS x"
        + " ON t.a = x.a WHERE CAST(a AS STRING) = JSON_VALUE(b, '$.a')",
    "SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY b ORDER BY ts MEASURES A.a AS x ONE ROW PER MATCH"
        + " PATTERN (A B+) DEFINE B AS B.a > LAST(B.a, 1))",
    "EXECUTE STATEMENT SET BEGIN INSERT INTO s SELECT * FROM t; INSERT INTO u SELECT * FROM t; END",
    "SET 'a' = 'b'",
    "CREATE TEMPORARY VIEW v AS WITH w AS (SELECT a FROM t) SELECT * FROM w",
    "INSERT INTO s SELEC a FROM t",
    "EXECUTE STATEMENT SET BEGIN INSERT INTO s SELECT * FROM t;",
  };

  /**
   * The planner's parser config for the default dialect (PlannerContext#getSqlParserConfig):
   * Flink's parser factory and conformance, Java lexing (back-tick quotes, case kept), 256-char names.
   */
  static CalciteParser plannerParser() {
    FlinkSqlConformance conformance = FlinkSqlConformance.DEFAULT;
    SqlParser.Config config =
        SqlParser.config()
            .withParserFactory(FlinkSqlParserFactories.create(conformance))
            .withConformance(conformance)
            .withLex(Lex.JAVA)
            .withIdentifierMaxLength(256);
    return new CalciteParser(config);
  }

  /** What ParserImpl#parse does before it converts: the extended parser, then Calcite's, one statement. */
  static Map<String, Object> check(CalciteParser parser, String statement) {
    Map<String, Object> r = new LinkedHashMap<>();
    try {
      if (ExtendedParser.INSTANCE.parse(statement).isPresent()) {
        r.put("ok", true);
        return r;
      }
      SqlNodeList list = parser.parseSqlList(statement);
      if (list.size() != 1) {
        // ParserImpl refuses these with "only single statement supported".
        r.put("ok", false);
        r.put("kind", "statements");
        r.put("message", list.size() == 0 ? "no statement" : "only single statement supported");
        r.put("eof", false);
        return r;
      }
      r.put("ok", true);
      return r;
    } catch (StackOverflowError e) {
      r.put("ok", false);
      r.put("kind", "too_deep");
      r.put("message", "the statement is nested too deeply for the parser");
      r.put("eof", false);
      return r;
    } catch (RuntimeException e) {
      r.put("ok", false);
      describe(e, r);
      return r;
    }
  }

  /** The position and message of the innermost exception that has them, without Java noise. */
  static void describe(Throwable e, Map<String, Object> r) {
    SqlParseException parse = null;
    CalciteContextException context = null;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SqlParseException && parse == null) parse = (SqlParseException) t;
      if (t instanceof CalciteContextException && context == null) context = (CalciteContextException) t;
    }
    if (parse != null) {
      String message = parse.getMessage() == null ? "" : parse.getMessage();
      r.put("kind", "parse");
      r.put("message", message);
      r.put("eof", message.contains("Encountered \"<EOF>\"") || message.contains("Encountered: <EOF>"));
      SqlParserPos pos = parse.getPos();
      if (pos != null && pos.getLineNum() > 0) {
        r.put("line", pos.getLineNum());
        r.put("column", pos.getColumnNum());
        r.put("endLine", pos.getEndLineNum());
        r.put("endColumn", pos.getEndColumnNum());
      }
      return;
    }
    if (context != null) {
      r.put("kind", "context");
      r.put("message", context.getCause() != null ? context.getCause().getMessage() : context.getMessage());
      r.put("eof", false);
      r.put("line", context.getPosLine());
      r.put("column", context.getPosColumn());
      r.put("endLine", context.getEndPosLine());
      r.put("endColumn", context.getEndPosColumn());
      return;
    }
    r.put("kind", "other");
    r.put("message", e.getClass().getSimpleName() + ": " + e.getMessage());
    r.put("eof", false);
  }

  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8.name());
    // Calcite and Flink may log; the protocol owns stdout.
    System.setOut(System.err);
    CalciteParser parser = plannerParser();
    // Loads the parser's classes for each kind of statement before the first request needs them
    // (and, when the class-data archive is made, puts them in it).
    for (String warm : WARM_UP) check(parser, warm);
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("ready", true);
    ready.put("flinkVersion", flinkVersion());
    ready.put("startupMs", (System.nanoTime() - t0) / 1_000_000);
    out.println(Json.write(ready));
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.isBlank()) continue;
      Object id = -1;
      Map<String, Object> answer = new LinkedHashMap<>();
      try {
        Object parsed = Json.read(line);
        if (!(parsed instanceof Map)) throw new IllegalArgumentException("a request is a JSON object");
        Map<?, ?> request = (Map<?, ?>) parsed;
        id = request.containsKey("id") ? request.get("id") : -1;
        Object statements = request.get("statements");
        if (!(statements instanceof List))
          throw new IllegalArgumentException("\"statements\" must be an array of strings");
        List<Object> results = new ArrayList<>();
        for (Object s : (List<?>) statements) {
          if (!(s instanceof String))
            throw new IllegalArgumentException("\"statements\" must be an array of strings");
          results.add(check(parser, (String) s));
        }
        answer.put("id", id);
        answer.put("results", results);
      } catch (RuntimeException e) {
        answer.clear();
        answer.put("id", id);
        answer.put("error", String.valueOf(e.getMessage()));
      }
      out.println(Json.write(answer));
      out.flush();
    }
  }

  private static String flinkVersion() {
    Package p = CalciteParser.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null ? "" : v;
  }

  /** Just enough JSON for the protocol: objects, arrays, strings, numbers, booleans, null. */
  static final class Json {
    private final String s;
    private int i;

    private Json(String s) {
      this.s = s;
    }

    static Object read(String text) {
      Json j = new Json(text);
      Object v = j.value();
      j.space();
      if (j.i != text.length()) throw j.fail("unexpected text after the value");
      return v;
    }

    private IllegalArgumentException fail(String what) {
      return new IllegalArgumentException("bad JSON at character " + (i + 1) + ": " + what);
    }

    private void space() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private Object value() {
      space();
      if (i >= s.length()) throw fail("value expected");
      char c = s.charAt(i);
      if (c == '{') {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        space();
        if (peek('}')) return m;
        do {
          space();
          if (i >= s.length() || s.charAt(i) != '"') throw fail("name expected");
          String k = string();
          space();
          expect(':');
          m.put(k, value());
          space();
        } while (peek(','));
        expect('}');
        return m;
      }
      if (c == '[') {
        List<Object> l = new ArrayList<>();
        i++;
        space();
        if (peek(']')) return l;
        do {
          l.add(value());
          space();
        } while (peek(','));
        expect(']');
        return l;
      }
      if (c == '"') return string();
      if (s.startsWith("true", i)) {
        i += 4;
        return true;
      }
      if (s.startsWith("false", i)) {
        i += 5;
        return false;
      }
      if (s.startsWith("null", i)) {
        i += 4;
        return null;
      }
      int start = i;
      while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      if (start == i) throw fail("value expected");
      String n = s.substring(start, i);
      try {
        return n.matches("-?\\d+") ? (Object) Long.parseLong(n) : (Object) Double.parseDouble(n);
      } catch (NumberFormatException e) {
        throw fail("bad number " + n);
      }
    }

    private boolean peek(char c) {
      if (i < s.length() && s.charAt(i) == c) {
        i++;
        return true;
      }
      return false;
    }

    private void expect(char c) {
      if (!peek(c)) throw fail("'" + c + "' expected");
    }

    private String string() {
      StringBuilder b = new StringBuilder();
      i++; // opening quote
      while (true) {
        if (i >= s.length()) throw fail("unclosed string");
        char c = s.charAt(i++);
        if (c == '"') return b.toString();
        if (c != '\\') {
          b.append(c);
          continue;
        }
        if (i >= s.length()) throw fail("unclosed string");
        char e = s.charAt(i++);
        switch (e) {
          case 'n': b.append('\n'); break;
          case 't': b.append('\t'); break;
          case 'r': b.append('\r'); break;
          case 'b': b.append('\b'); break;
          case 'f': b.append('\f'); break;
          case 'u':
            if (i + 4 > s.length()) throw fail("bad \\u escape");
            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            i += 4;
            break;
          default: b.append(e);
        }
      }
    }

    static String write(Object v) {
      StringBuilder b = new StringBuilder();
      write(v, b);
      return b.toString();
    }

    private static void write(Object v, StringBuilder b) {
      if (v == null) b.append("null");
      else if (v instanceof String) quote((String) v, b);
      else if (v instanceof Number || v instanceof Boolean) b.append(v);
      else if (v instanceof Map) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          if (!first) b.append(',');
          first = false;
          quote(String.valueOf(e.getKey()), b);
          b.append(':');
          write(e.getValue(), b);
        }
        b.append('}');
      } else if (v instanceof List) {
        b.append('[');
        boolean first = true;
        for (Object o : (List<?>) v) {
          if (!first) b.append(',');
          first = false;
          write(o, b);
        }
        b.append(']');
      } else quote(String.valueOf(v), b);
    }

    private static void quote(String s, StringBuilder b) {
      b.append('"');
      for (int k = 0; k < s.length(); k++) {
        char c = s.charAt(k);
        if (c == '"' || c == '\\') b.append('\\').append(c);
        else if (c == '\n') b.append("\\n");
        else if (c == '\r') b.append("\\r");
        else if (c == '\t') b.append("\\t");
        else if (c < 0x20 || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
        else b.append(c);
      }
      b.append('"');
    }
  }
}
