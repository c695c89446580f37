package io.navstream.connect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PostgreSQL the tests write into: found through {@code PG_TEST_URL}, {@code PG_TEST_USER} and
 * {@code PG_TEST_PASSWORD} (defaults: {@code jdbc:postgresql://localhost:5432/navstream_test},
 * {@code navstream}, {@code navstream}, what {@code .ci/run} sets up). Not {@code NAVSTREAM_*}:
 * navstream reads every {@code NAVSTREAM_*} variable as a setting and rejects unknown ones.
 *
 * <p>Each test class works in a schema of its own, dropped and created anew when the class starts,
 * so reruns start clean and classes do not see each other's rows.
 */
final class Postgres {
  static final String URL_ENV = "PG_TEST_URL";
  static final String USER_ENV = "PG_TEST_USER";
  static final String PASSWORD_ENV = "PG_TEST_PASSWORD";
  static final String DEFAULT_URL = "jdbc:postgresql://localhost:5432/navstream_test";
  static final String DEFAULT_USER = "navstream";
  static final String DEFAULT_PASSWORD = "navstream";

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  private final String url;
  private final String user;
  private final String password;
  private final String schema;

  private Postgres(String url, String user, String password, String schema) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.schema = schema;
  }

  /** Connects with the environment's settings and (re)creates {@code schema}, empty. */
  static Postgres freshSchema(String schema) throws SQLException {
    if (!IDENTIFIER.matcher(schema).matches()) {
      throw new IllegalArgumentException("not a plain lower-case identifier: " + schema);
    }
    Map<String, String> env = System.getenv();
    Postgres pg =
        new Postgres(
            env.getOrDefault(URL_ENV, DEFAULT_URL),
            env.getOrDefault(USER_ENV, DEFAULT_USER),
            env.getOrDefault(PASSWORD_ENV, DEFAULT_PASSWORD),
            schema);
    try (Connection c = DriverManager.getConnection(pg.url, pg.user, pg.password);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new SQLException(
          "Cannot use PostgreSQL at "
              + pg.url
              + " as "
              + pg.user
              + " ("
              + e.getMessage()
              + "). The connector tests need a PostgreSQL that this user can create schemas in: set "
              + URL_ENV + ", " + USER_ENV + " and " + PASSWORD_ENV
              + ", or run .ci/run, which installs and starts one with the defaults.",
          e);
    }
    return pg;
  }

  String schema() {
    return schema;
  }

  String user() {
    return user;
  }

  String password() {
    return password;
  }

  /** The JDBC URL a sink uses: the same database, with this schema as its current schema. */
  String sinkUrl() {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /**
   * A connection whose search path is this schema. Its session time zone is deliberately neither
   * UTC nor the JVM's, so an instant read back is compared as an instant, not as wall-clock text.
   */
  Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(url, user, password);
    try (Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + schema);
      s.execute("SET TIME ZONE 'Asia/Kolkata'");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Runs every {@code *.sql} file of {@code dir}, in name order, as the postgres image would. */
  List<Path> runSqlFiles(Path dir) throws IOException, SQLException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.getFileName().toString().endsWith(".sql")).sorted().toList();
    }
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (Path f : files) {
        s.execute(Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return files;
  }
}
