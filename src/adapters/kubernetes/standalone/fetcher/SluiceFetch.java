import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The init container of a Kubernetes run: fetches the run's artifacts from Sluice with the token
 * scoped to that run, checks each one's SHA-256 and size, and writes them into the pod's usrlib.
 * Flink's image has a JRE and no curl or wget, so this runs as a class file from a ConfigMap.
 * Arguments: the artifacts' URL (its listing: "sha256 size name" per line), the token's file, the
 * folder to write. Exits 2 when the platform refuses (the token, the run): retrying cannot help.
 */
public final class SluiceFetch {
  private static final int ATTEMPTS = 30;

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: SluiceFetch <artifacts URL> <token file> <folder>");
      System.exit(64);
    }
    String base = args[0];
    String token = new String(Files.readAllBytes(Paths.get(args[1])), StandardCharsets.UTF_8).trim();
    Path dir = Paths.get(args[2]);
    Files.createDirectories(dir);
    String listing = new String(get(base, token), StandardCharsets.UTF_8);
    List<String[]> files = new ArrayList<>();
    for (String line : listing.split("\n")) {
      if (line.isEmpty()) continue;
      String[] f = line.split(" ", 3);
      if (f.length != 3 || f[2].contains("/") || f[2].startsWith(".")) fail("a listing line Sluice does not write: " + line);
      files.add(f);
    }
    System.out.println("fetching " + files.size() + " artifact(s) from " + base);
    for (String[] f : files) {
      byte[] bytes = get(base + "/" + f[2], token);
      String sum = hex(MessageDigest.getInstance("SHA-256").digest(bytes));
      if (!sum.equals(f[0]) || bytes.length != Long.parseLong(f[1]))
        fail(f[2] + ": got " + bytes.length + " bytes with SHA-256 " + sum + ", the listing says " + f[1] + " bytes, " + f[0]);
      Path out = dir.resolve(f[2]);
      Files.write(out, bytes);
      System.out.println(f[2] + ": " + bytes.length + " bytes, SHA-256 " + sum);
    }
  }

  /** A GET with the token; the platform not answering yet (starting, a forwarder away) is asked again. */
  private static byte[] get(String url, String token) throws Exception {
    for (int attempt = 1; ; attempt++) {
      HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
      c.setConnectTimeout(5000);
      c.setReadTimeout(60000);
      c.setRequestProperty("Authorization", "Bearer " + token);
      try {
        int status = c.getResponseCode();
        if (status == 200) try (InputStream in = c.getInputStream()) { return in.readAllBytes(); }
        String body = "";
        InputStream err = c.getErrorStream();
        if (err != null) try (InputStream in = err) { body = new String(in.readAllBytes(), StandardCharsets.UTF_8); }
        if (status >= 400 && status < 500) {
          System.err.println("Sluice refused GET " + url + " (HTTP " + status + "): " + body);
          System.exit(2);
        }
        if (attempt >= ATTEMPTS) fail("GET " + url + ": HTTP " + status + " " + body);
      } catch (IOException e) {
        if (attempt >= ATTEMPTS) fail("GET " + url + ": " + e);
        System.err.println("GET " + url + ": " + e + " (attempt " + attempt + " of " + ATTEMPTS + ")");
      } finally {
        c.disconnect();
      }
      Thread.sleep(Math.min(1000L * attempt, 5000L));
    }
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) s.append(String.format("%02x", x));
    return s.toString();
  }

  private static void fail(String why) {
    System.err.println(why);
    System.exit(1);
  }
}
