import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Lists the Flink user-defined functions in a jar: every public concrete class that extends
 * UserDefinedFunction, with its kind and the signatures of its eval (accumulate) methods. The jar is
 * loaded in a class loader of its own over the engine's classes, and classes are not initialized
 * (no static block of the user's runs). Prints one JSON object on standard output.
 */
public final class SluiceUdfScanner {
  private static final String PKG = "org.apache.flink.table.functions.";
  // The most specific base classes first.
  private static final String[][] KINDS = {
    {PKG + "AsyncScalarFunction", "async-scalar"},
    {PKG + "AsyncTableFunction", "async-table"},
    {PKG + "ScalarFunction", "scalar"},
    {PKG + "TableFunction", "table"},
    {PKG + "TableAggregateFunction", "table-aggregate"},
    {PKG + "AggregateFunction", "aggregate"},
  };

  public static void main(String[] args) throws Exception {
    Class<?> udf = Class.forName(PKG + "UserDefinedFunction");
    File jar = new File(args[0]);
    StringBuilder out = new StringBuilder("{\"functions\":[");
    int unreadable = 0;
    boolean first = true;
    try (JarFile jf = new JarFile(jar);
        URLClassLoader loader =
            new URLClassLoader(new URL[] {jar.toURI().toURL()}, SluiceUdfScanner.class.getClassLoader())) {
      List<String> names = new ArrayList<>();
      for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
        String n = e.nextElement().getName();
        if (n.endsWith(".class") && !n.contains("module-info") && !n.startsWith("META-INF/"))
          names.add(n.substring(0, n.length() - 6).replace('/', '.'));
      }
      java.util.Collections.sort(names);
      for (String name : names) {
        Class<?> c;
        try {
          c = Class.forName(name, false, loader);
        } catch (Throwable t) {
          unreadable++;
          continue;
        }
        int m = c.getModifiers();
        if (!udf.isAssignableFrom(c) || !Modifier.isPublic(m) || Modifier.isAbstract(m) || c.isInterface())
          continue;
        String kind = null;
        Class<?> base = null;
        for (String[] k : KINDS) {
          Class<?> b = find(c, k[0]);
          if (b != null) {
            kind = k[1];
            base = b;
            break;
          }
        }
        if (kind == null) continue;
        if (!first) out.append(',');
        first = false;
        out.append("{\"className\":").append(str(name)).append(",\"kind\":").append(str(kind));
        out.append(",\"signatures\":[");
        boolean firstSig = true;
        String method = kind.endsWith("aggregate") ? "accumulate" : "eval";
        for (Method meth : c.getMethods()) {
          if (!meth.getName().equals(method) || meth.isBridge() || meth.isSynthetic()) continue;
          Type[] params = meth.getGenericParameterTypes();
          // accumulate(acc, ...) and an async eval(future, ...) take their first parameter from Flink.
          int skip = kind.endsWith("aggregate") || kind.startsWith("async") ? 1 : 0;
          String returns;
          if (kind.equals("scalar")) returns = typeName(meth.getGenericReturnType());
          else if (kind.equals("async-scalar") && params.length > 0) returns = firstArgument(params[0]);
          else returns = typeArgument(c, base);
          if (!firstSig) out.append(',');
          firstSig = false;
          out.append("{\"parameters\":[");
          for (int i = skip; i < params.length; i++) {
            if (i > skip) out.append(',');
            out.append(str(typeName(params[i])));
          }
          out.append("],\"returns\":").append(str(returns)).append('}');
        }
        out.append("]}");
      }
    }
    out.append("],\"unreadableClasses\":").append(unreadable).append('}');
    System.out.println(out);
  }

  private static Class<?> find(Class<?> c, String name) {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) if (k.getName().equals(name)) return k;
    return null;
  }

  /** The first type argument the class gives `base` (the T of TableFunction<T>, AggregateFunction<T, ACC>). */
  private static String typeArgument(Class<?> c, Class<?> base) {
    for (Class<?> k = c; k != null && k != base; k = k.getSuperclass()) {
      Type sup = k.getGenericSuperclass();
      if (sup instanceof ParameterizedType && ((ParameterizedType) sup).getRawType() == base)
        return typeName(((ParameterizedType) sup).getActualTypeArguments()[0]);
    }
    return "?";
  }

  private static String firstArgument(Type t) {
    return t instanceof ParameterizedType ? typeName(((ParameterizedType) t).getActualTypeArguments()[0]) : "?";
  }

  private static String typeName(Type t) {
    return t.getTypeName().replaceAll("\\bjava\\.lang\\.(?=[A-Z])", "");
  }

  private static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : s.toCharArray()) {
      if (ch == '"' || ch == '\\') b.append('\\').append(ch);
      else if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
      else b.append(ch);
    }
    return b.append('"').toString();
  }
}
