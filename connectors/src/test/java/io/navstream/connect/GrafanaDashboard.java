package io.navstream.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Grafana dashboard JSON, read for its SQL: every panel target's {@code rawSql} and every query
 * variable, and Grafana's PostgreSQL macros expanded the way Grafana expands them, so the queries
 * can run on a plain PostgreSQL connection.
 */
final class GrafanaDashboard {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(([^)]+)\\)");
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)|\\[\\[(\\w+)]]");

  /**
   * One query of the dashboard.
   *
   * @param source the panel title, or {@code variable <name>}
   * @param format Grafana's result format: {@code time_series} or {@code table}
   * @param repeatVariable the variable the panel repeats over (one panel per value), or null
   */
  record Query(String source, String datasourceUid, String format, String sql, String repeatVariable) {
    @Override
    public String toString() {
      return source;
    }
  }

  private final JsonNode root;

  private GrafanaDashboard(JsonNode root) {
    this.root = root;
  }

  static GrafanaDashboard load(Path file) {
    try {
      return new GrafanaDashboard(JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode root() {
    return root;
  }

  List<JsonNode> panels() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode p : root.path("panels")) {
      out.add(p);
      p.path("panels").forEach(out::add); // panels inside a collapsed row
    }
    return out;
  }

  /** Every SQL query: panel targets, then query variables. */
  List<Query> queries() {
    List<Query> out = new ArrayList<>();
    for (JsonNode p : panels()) {
      for (JsonNode t : p.path("targets")) {
        JsonNode ds = t.has("datasource") ? t.path("datasource") : p.path("datasource");
        out.add(
            new Query(
                p.path("title").asText(),
                ds.path("uid").asText(null),
                t.path("format").asText("time_series"),
                t.path("rawSql").asText(null),
                p.path("repeat").asText(null)));
      }
    }
    for (JsonNode v : root.path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        JsonNode q = v.path("query");
        out.add(
            new Query(
                "variable " + v.path("name").asText(),
                v.path("datasource").path("uid").asText(null),
                "table",
                q.isTextual() ? q.asText() : q.path("rawSql").asText(q.path("query").asText(null)),
                null));
      }
    }
    return out;
  }

  /**
   * Expands what Grafana's PostgreSQL datasource expands before it sends a query: {@code
   * $__timeFilter(col)} to {@code col BETWEEN '<from>' AND '<to>'}, {@code $__timeFrom()} and
   * {@code $__timeTo()} to those instants, and {@code $var}, {@code ${var}} or {@code [[var]]} to its
   * values, single-quoted and comma-separated (as for a multi-value variable). Anything else that
   * looks like a macro or a variable is an error: a query using it would need this test taught.
   */
  static String expand(String sql, Instant from, Instant to, Map<String, List<String>> variables) {
    String out = TIME_FILTER.matcher(sql).replaceAll(m -> Matcher.quoteReplacement(
        m.group(1).strip() + " BETWEEN '" + from + "' AND '" + to + "'"));
    out = out.replace("$__timeFrom()", "'" + from + "'").replace("$__timeTo()", "'" + to + "'");
    if (out.contains("$__")) {
      throw new IllegalArgumentException("a Grafana macro this test does not expand: " + out);
    }
    Matcher m = VARIABLE.matcher(out);
    StringBuilder expanded = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
      List<String> values = variables.get(name);
      if (values == null || values.isEmpty()) {
        throw new IllegalArgumentException("no value for the dashboard variable $" + name + " in: " + sql);
      }
      m.appendReplacement(
          expanded,
          Matcher.quoteReplacement(
              values.stream().map(v -> "'" + v.replace("'", "''") + "'").collect(Collectors.joining(","))));
    }
    m.appendTail(expanded);
    return expanded.toString();
  }
}
