import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Enumeration;
import java.util.TreeSet;
import java.util.jar.JarFile;

/**
 * Prints every REST handler specification (method, URL, class) that the given Flink jars define, one
 * per line, tab-separated. Run in source-file mode with the engine's lib/ on the class path:
 * java -cp 'lib/*' ListFlinkRestHandlers.java lib/flink-runtime-*.jar lib/flink-runtime-web-*.jar
 */
public class ListFlinkRestHandlers {
  public static void main(String[] jars) throws Exception {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    Class<?> spec = Class.forName("org.apache.flink.runtime.rest.handler.RestHandlerSpecification", false, loader);
    TreeSet<String> lines = new TreeSet<>();
    for (String path : jars) {
      try (JarFile jar = new JarFile(path)) {
        for (Enumeration<java.util.jar.JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
          String n = e.nextElement().getName();
          if (!n.startsWith("org/apache/flink/") || !n.endsWith(".class") || n.contains("$")) continue;
          Class<?> c;
          try {
            c = Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, loader);
          } catch (Throwable t) {
            continue;
          }
          if (!spec.isAssignableFrom(c) || c.isInterface() || Modifier.isAbstract(c.getModifiers())) continue;
          Object instance = instanceOf(c);
          // Decorators wrap another specification and have no URL of their own.
          if (instance == null) continue;
          lines.add(spec.getMethod("getHttpMethod").invoke(instance) + "\t"
              + spec.getMethod("getTargetRestEndpointURL").invoke(instance) + "\t" + c.getSimpleName());
        }
      }
    }
    lines.forEach(System.out::println);
  }

  private static Object instanceOf(Class<?> c) {
    try {
      return c.getMethod("getInstance").invoke(null);
    } catch (Throwable t) {
      // no singleton accessor
    }
    try {
      Field f = c.getDeclaredField("INSTANCE");
      f.setAccessible(true);
      return f.get(null);
    } catch (Throwable t) {
      // no singleton field
    }
    try {
      Constructor<?> k = c.getDeclaredConstructor();
      k.setAccessible(true);
      return k.newInstance();
    } catch (Throwable t) {
      return null;
    }
  }
}
