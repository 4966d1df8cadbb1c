package dev.sluice.sqlrunner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for the script file, so the runner needs nothing beyond the engine's own jars
 * (Flink's Jackson is shaded under a name that is not an API). Objects are LinkedHashMaps (order kept),
 * arrays Lists, numbers Doubles.
 */
final class Json {
  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  static Object parse(String text) {
    Json p = new Json(text);
    p.space();
    Object v = p.value();
    p.space();
    if (p.pos != text.length()) throw p.error("unexpected text after the JSON value");
    return v;
  }

  private Object value() {
    if (pos >= text.length()) throw error("unexpected end of the file");
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return word("true", Boolean.TRUE);
      case 'f':
        return word("false", Boolean.FALSE);
      case 'n':
        return word("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        throw error("unexpected character '" + c + "'");
    }
  }

  private Map<String, Object> object() {
    Map<String, Object> out = new LinkedHashMap<>();
    pos++;
    space();
    if (peek('}')) return out;
    while (true) {
      space();
      if (pos >= text.length() || text.charAt(pos) != '"') throw error("expected a quoted key");
      String key = string();
      space();
      expect(':');
      space();
      out.put(key, value());
      space();
      if (peek('}')) return out;
      expect(',');
    }
  }

  private List<Object> array() {
    List<Object> out = new ArrayList<>();
    pos++;
    space();
    if (peek(']')) return out;
    while (true) {
      space();
      out.add(value());
      space();
      if (peek(']')) return out;
      expect(',');
    }
  }

  private String string() {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') return sb.toString();
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) break;
      char e = text.charAt(pos++);
      switch (e) {
        case 'n': sb.append('\n'); break;
        case 't': sb.append('\t'); break;
        case 'r': sb.append('\r'); break;
        case 'b': sb.append('\b'); break;
        case 'f': sb.append('\f'); break;
        case 'u':
          if (pos + 4 > text.length()) throw error("a short \\u escape");
          sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
          pos += 4;
          break;
        default: sb.append(e);
      }
    }
    throw error("a string is not closed");
  }

  private Double number() {
    int start = pos;
    while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) pos++;
    try {
      return Double.valueOf(text.substring(start, pos));
    } catch (NumberFormatException e) {
      throw error("a malformed number");
    }
  }

  private Object word(String w, Object v) {
    if (!text.startsWith(w, pos)) throw error("unexpected word");
    pos += w.length();
    return v;
  }

  private boolean peek(char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!peek(c)) throw error("expected '" + c + "'");
  }

  private void space() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at offset " + pos);
  }
}
