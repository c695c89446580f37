package io.navstream.compose;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The rules of a .dockerignore, matched the way Docker does: each pattern is anchored at the
 * context root, {@code *} and {@code ?} stay within one path segment, {@code **} spans any number
 * of segments, a pattern also matches everything under a directory it matches, {@code !} re-includes,
 * and the last matching rule wins.
 */
final class DockerIgnore {
  private record Rule(String pattern, boolean exclude, Pattern regex) {}

  private final List<Rule> rules;

  private DockerIgnore(List<Rule> rules) {
    this.rules = rules;
  }

  static DockerIgnore parse(String text) {
    List<Rule> rules = new ArrayList<>();
    for (String line : text.split("\r?\n")) {
      String p = line.strip();
      if (p.isEmpty() || p.startsWith("#")) {
        continue;
      }
      boolean exclude = true;
      if (p.startsWith("!")) {
        exclude = false;
        p = p.substring(1).strip();
      }
      p = clean(p);
      if (!p.isEmpty()) {
        rules.add(new Rule(line.strip(), exclude, Pattern.compile(toRegex(p))));
      }
    }
    return new DockerIgnore(List.copyOf(rules));
  }

  /** Whether the file or directory at {@code path} (relative, '/'-separated) stays out of the context. */
  boolean excludes(String path) {
    String p = clean(path);
    boolean excluded = false;
    for (Rule r : rules) {
      if (matchesOrParentMatches(r.regex(), p)) {
        excluded = r.exclude();
      }
    }
    return excluded;
  }

  private static boolean matchesOrParentMatches(Pattern regex, String path) {
    if (regex.matcher(path).matches()) {
      return true;
    }
    for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
      if (regex.matcher(path.substring(0, slash)).matches()) {
        return true;
      }
    }
    return false;
  }

  /** Like Go's filepath.Clean for the cases that occur here: no leading "/" or "./", no trailing "/". */
  private static String clean(String p) {
    String s = p.replace('\\', '/');
    while (s.startsWith("/") || s.startsWith("./")) {
      s = s.startsWith("/") ? s.substring(1) : s.substring(2);
    }
    s = s.replaceAll("/+", "/");
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.equals(".") ? "" : s;
  }

  private static String toRegex(String pattern) {
    StringBuilder re = new StringBuilder("^");
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '*') {
        if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
          i++;
          if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
            i++;
            re.append("(?:.*/)?"); // "**/" is zero or more leading directories
          } else {
            re.append(".*");
          }
        } else {
          re.append("[^/]*");
        }
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int end = pattern.indexOf(']', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed [ in " + pattern);
        }
        String cls = pattern.substring(i + 1, end);
        re.append('[').append(cls.startsWith("^") ? "^" + cls.substring(1) : cls).append(']');
        i = end;
      } else if (c == '\\' && i + 1 < pattern.length()) {
        re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.append('$').toString();
  }
}
