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
 * folder to write; or `--listing` with a listing file of "sha256 size name URL" lines (presigned GETs
 * of S3-compatible storage, from the run's Secret) and the folder. Exits 2 when the platform or the
 * store refuses (the token, the run, an expired URL): retrying cannot help.
 */
public final class SluiceFetch {
  private static final int ATTEMPTS = 30;

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: SluiceFetch <artifacts URL> <token file> <folder> | SluiceFetch --listing <listing file> <folder>");
      System.exit(64);
    }
    // From S3: the listing names each jar's presigned URL, which carries its own authorization.
    boolean presigned = args[0].equals("--listing");
    String base = presigned ? null : args[0];
    String token = presigned ? null : new String(Files.readAllBytes(Paths.get(args[1])), StandardCharsets.UTF_8).trim();
    Path dir = Paths.get(args[2]);
    Files.createDirectories(dir);
    String listing = presigned
        ? new String(Files.readAllBytes(Paths.get(args[1])), StandardCharsets.UTF_8)
        : new String(get(base, token, "Sluice"), StandardCharsets.UTF_8);
    List<String[]> files = new ArrayList<>();
    for (String line : listing.split("\n")) {
      if (line.isEmpty()) continue;
      String[] f = line.split(" ", presigned ? 4 : 3);
      if (f.length != (presigned ? 4 : 3) || f[2].contains("/") || f[2].startsWith(".")
          || (presigned && !f[3].matches("https?://\\S+"))) fail("a listing line Sluice does not write: " + shown(line));
      files.add(f);
    }
    System.out.println("fetching " + files.size() + " artifact(s) from " + (presigned ? "S3-compatible storage (presigned URLs in " + args[1] + ")" : base));
    for (String[] f : files) {
      byte[] bytes = presigned ? get(f[3], null, "the S3 store") : get(base + "/" + f[2], token, "Sluice");
      String sum = hex(MessageDigest.getInstance("SHA-256").digest(bytes));
      if (!sum.equals(f[0]) || bytes.length != Long.parseLong(f[1]))
        fail(f[2] + ": got " + bytes.length + " bytes with SHA-256 " + sum + ", the listing says " + f[1] + " bytes, " + f[0]);
      Path out = dir.resolve(f[2]);
      Files.write(out, bytes);
      System.out.println(f[2] + ": " + bytes.length + " bytes, SHA-256 " + sum + (presigned ? " from " + shown(f[3]) : ""));
    }
  }

  /**
   * A GET, with the token when there is one; the platform or the store not answering yet (starting, a
   * forwarder away) is asked again. A 4xx is final: said with S3's error code and message when it is S3's.
   */
  private static byte[] get(String url, String token, String who) throws Exception {
    for (int attempt = 1; ; attempt++) {
      HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
      c.setConnectTimeout(5000);
      c.setReadTimeout(60000);
      if (token != null) c.setRequestProperty("Authorization", "Bearer " + token);
      try {
        int status = c.getResponseCode();
        if (status == 200) try (InputStream in = c.getInputStream()) { return in.readAllBytes(); }
        String body = "";
        InputStream err = c.getErrorStream();
        if (err != null) try (InputStream in = err) { body = new String(in.readAllBytes(), StandardCharsets.UTF_8); }
        if (status >= 400 && status < 500) {
          System.err.println(who + " refused GET " + shown(url) + " (HTTP " + status + s3Error(body) + "): " + body);
          System.exit(2);
        }
        if (attempt >= ATTEMPTS) fail("GET " + shown(url) + ": HTTP " + status + " " + body);
      } catch (IOException e) {
        if (attempt >= ATTEMPTS) fail("GET " + shown(url) + ": " + e);
        System.err.println("GET " + shown(url) + ": " + e + " (attempt " + attempt + " of " + ATTEMPTS + ")");
      } finally {
        c.disconnect();
      }
      Thread.sleep(Math.min(1000L * attempt, 5000L));
    }
  }

  /** A URL without its query: a presigned URL's signature is not for logs. */
  private static String shown(String text) {
    int q = text.indexOf('?');
    return q < 0 ? text : text.substring(0, q) + "?...";
  }

  /** S3's error code and message from its XML answer ("AccessDenied: Request has expired"), or nothing. */
  private static String s3Error(String body) {
    String code = element(body, "Code");
    if (code == null) return "";
    String message = element(body, "Message");
    return " " + code + (message == null ? "" : ": " + message);
  }

  private static String element(String xml, String name) {
    int from = xml.indexOf("<" + name + ">");
    int to = xml.indexOf("</" + name + ">");
    return from < 0 || to < from ? null : xml.substring(from + name.length() + 2, to);
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
