package io.navstream.connect;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * One form for a record wherever it comes from (navstream's Avro output, replay's JSON lines, a
 * table row), so that they compare field for field: field name to text, decimals as {@code
 * toPlainString()} (scale included: {@code 1.500000000000000000} is not {@code 1.5}), instants as
 * ISO-8601 UTC, enums by name. This is replay's own output format.
 */
final class Values {
  private Values() {}

  /** An Avro record's fields, in schema order. */
  static Map<String, String> of(SpecificRecord record) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Schema.Field f : record.getSchema().getFields()) {
      out.put(f.name(), text(record.get(f.pos())));
    }
    return out;
  }

  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Instant i) {
      return i.toString();
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    return value.toString();
  }

  /**
   * Runs {@code sql} and returns its rows, each column under the name {@code names} maps it to, or
   * else its snake_case name in camelCase ({@code fund_id} → {@code fundId}).
   */
  static List<Map<String, String>> rows(Connection c, String sql, Map<String, String> names) throws SQLException {
    List<Map<String, String>> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          String column = md.getColumnLabel(i);
          row.put(names.getOrDefault(column, camel(column)), column(rs, i, md));
        }
        out.add(row);
      }
    }
    return out;
  }

  private static String column(ResultSet rs, int i, ResultSetMetaData md) throws SQLException {
    String type = md.getColumnTypeName(i);
    if (type.equals("timestamptz")) {
      OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
      return t == null ? null : t.toInstant().toString();
    }
    if (md.getColumnType(i) == Types.BIT || md.getColumnType(i) == Types.BOOLEAN) {
      boolean b = rs.getBoolean(i);
      return rs.wasNull() ? null : String.valueOf(b);
    }
    if (md.getColumnType(i) == Types.NUMERIC) {
      BigDecimal d = rs.getBigDecimal(i);
      return d == null ? null : d.toPlainString();
    }
    return rs.getString(i);
  }

  static String camel(String snake) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char ch : snake.toCharArray()) {
      if (ch == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(ch) : ch);
        upper = false;
      }
    }
    return out.toString();
  }
}
