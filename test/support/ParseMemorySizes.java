import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads one base64-encoded text per line and prints what Flink's own MemorySize.parseBytes makes of
 * it: the byte count, or "refused". Run in source-file mode with the engine's lib/ on the class path:
 * java -cp 'lib/*' ParseMemorySizes.java < texts
 */
public class ParseMemorySizes {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      String text = new String(Base64.getDecoder().decode(line), StandardCharsets.UTF_8);
      try {
        System.out.println(org.apache.flink.configuration.MemorySize.parseBytes(text));
      } catch (RuntimeException e) {
        System.out.println("refused");
      }
    }
  }
}
