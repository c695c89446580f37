package io.navstream.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files of connectors/ checked against each other without running anything heavy: every
 * connector writes a table that sql/ defines, keyed by that table's primary key, with the settings
 * that make navstream's data land exactly. {@link NavstreamToPostgresTest} runs them for real.
 */
class ConnectorFilesTest {
  private static final Pattern CREATE_TABLE =
      Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+) \\((.*?)\\n\\);", Pattern.DOTALL);
  private static final Pattern COLUMN = Pattern.compile("^\\s*(\\w+)\\s+([A-Z]+(?:\\(\\d+, \\d+\\))?)(.*)$");
  private static final Pattern TABLE_KEY = Pattern.compile("^\\s*PRIMARY KEY \\(([^)]+)\\)");

  record Table(Map<String, String> columns, List<String> primaryKey) {}

  @Test
  void everyConnectorWritesATableThatTheSqlDefinesKeyedByItsPrimaryKey() throws IOException {
    Map<String, Table> tables = tables();
    Map<String, Map<String, String>> configs = ConnectorFiles.configs();
    assertThat(configs.keySet()).containsExactlyInAnyOrder("nav-latest", "nav-history", "rebalances", "funds");
    for (Map.Entry<String, Map<String, String>> e : configs.entrySet()) {
      Map<String, String> config = e.getValue();
      String table = config.get("collection.name.format");
      assertThat(tables).as(e.getKey() + " writes " + table).containsKey(table);
      assertThat(config).as(e.getKey()).containsEntry("primary.key.mode", "record_value");
      assertThat(Arrays.stream(config.get("primary.key.fields").split(",")).map(String::strip).toList())
          .as(e.getKey() + ": primary.key.fields are the table's primary key")
          .isEqualTo(tables.get(table).primaryKey());
      for (String rename : config.getOrDefault("transforms.columns.renames", "").split(",")) {
        String column = rename.substring(rename.indexOf(':') + 1);
        assertThat(tables.get(table).columns()).as(e.getKey() + " renames a field to " + column).containsKey(column);
      }
    }
    assertThat(tables.keySet()).containsExactlyInAnyOrderElementsOf(
        configs.values().stream().map(c -> c.get("collection.name.format")).toList());
  }

  @Test
  void timesAreTimestamptzAndDecimalsNumeric38Scale18() throws IOException {
    int times = 0;
    int decimals = 0;
    for (Map.Entry<String, Table> t : tables().entrySet()) {
      for (Map.Entry<String, String> c : t.getValue().columns().entrySet()) {
        String type = c.getValue();
        String what = t.getKey() + "." + c.getKey() + " " + type;
        assertThat(type).as(what).isNotEqualTo("TIMESTAMP").doesNotStartWith("TIMESTAMP(");
        if (type.startsWith("NUMERIC")) {
          decimals++;
          assertThat(type).as(what + ": the contract's decimal(38, 18)").isEqualTo("NUMERIC(38, 18)");
        }
        if (type.equals("TIMESTAMPTZ")) {
          times++;
        }
      }
    }
    assertThat(times).isEqualTo(7);
    assertThat(decimals).isGreaterThan(30);
  }

  @Test
  void everyConnectorReadsCommittedAvroThroughApicurioAndLeavesTheTablesAlone() {
    ConnectorFiles.configs().forEach((name, config) -> {
      assertThat(config)
          .as(name)
          .containsEntry("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector")
          .containsEntry("key.converter", "org.apache.kafka.connect.storage.StringConverter")
          .containsEntry("value.converter", "io.apicurio.registry.utils.converter.AvroConverter")
          .containsEntry("value.converter.apicurio.registry.use-id", "contentId")
          .containsEntry("value.converter.apicurio.registry.as-confluent", "true")
          .containsEntry("schema.evolution", "none")
          .containsEntry("insert.mode", "upsert")
          .containsEntry("delete.enabled", "false")
          .containsEntry("use.time.zone", "UTC")
          // navstream writes in transactions: an aborted record must never reach a dashboard.
          .containsEntry("consumer.override.isolation.level", "read_committed");
      assertThat(config.get("topics")).as(name).doesNotContain(",");
    });
  }

  @Test
  void hostsAndCredentialsArePlaceholdersOnly() {
    Set<String> variables = new LinkedHashSet<>();
    ConnectorFiles.configs().forEach((name, config) -> {
      for (String key : List.of("connection.url", "connection.username", "connection.password",
          "value.converter.apicurio.registry.url")) {
        assertThat(config.get(key)).as(name + " " + key).matches("\\$\\{env:SINK_\\w+}");
      }
      variables.addAll(ConnectorFiles.envPlaceholders(config).keySet());
      config.forEach((key, value) -> assertThat(value).as(name + " " + key)
          .satisfiesAnyOf(v -> assertThat(v).doesNotContain("${"), v -> assertThat(v).matches(".*\\$\\{env:SINK_\\w+}.*")));
    });
    assertThat(variables).containsExactlyInAnyOrder("SINK_DB_URL", "SINK_DB_USER", "SINK_DB_PASSWORD", "SINK_REGISTRY_URL");
  }

  @Test
  void theRegistrationScriptIsPosixShell() throws Exception {
    Path script = ConnectorFiles.registerScript();
    assertThat(Files.readString(script, StandardCharsets.UTF_8)).startsWith("#!/bin/sh\n").doesNotContain("[[");
    Process p = new ProcessBuilder("sh", "-n", script.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
  }

  @Test
  void theApicurioConverterManifestNamesAConverterOfThePluginDirectory() throws IOException {
    Path manifest = ConnectorFiles.dir().resolve("plugin-manifests/apicurio-converter/META-INF/services/org.apache.kafka.connect.storage.Converter");
    assertThat(Files.readAllLines(manifest)).containsExactly("io.apicurio.registry.utils.converter.AvroConverter");
    Path plugin = Path.of(System.getProperty("navstream.connect.plugin.path", "target/connect-plugins"), "debezium-connector-jdbc");
    try (Stream<Path> jars = Files.list(plugin)) {
      assertThat(jars.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
          .anyMatch(n -> n.startsWith("debezium-connector-jdbc-"))
          .anyMatch(n -> n.startsWith("apicurio-registry-utils-converter-"))
          .anyMatch(n -> n.equals("apicurio-converter-service-manifest.jar"))
          .noneMatch(n -> n.startsWith("kafka-clients") || n.startsWith("connect-api") || n.startsWith("jackson-databind"));
    }
  }

  /** The tables of sql/*.sql: columns (name to type) and primary key, in declaration order. */
  static Map<String, Table> tables() throws IOException {
    Map<String, Table> out = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> list = Files.list(ConnectorFiles.sqlDir())) {
      files = list.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    for (Path f : files) {
      Matcher t = CREATE_TABLE.matcher(Files.readString(f, StandardCharsets.UTF_8));
      while (t.find()) {
        Map<String, String> columns = new LinkedHashMap<>();
        List<String> key = List.of();
        for (String line : t.group(2).split("\\n")) {
          Matcher k = TABLE_KEY.matcher(line);
          Matcher c = COLUMN.matcher(line);
          if (k.find()) {
            key = Arrays.stream(k.group(1).split(",")).map(String::strip).toList();
          } else if (c.matches()) {
            columns.put(c.group(1), c.group(2));
            if (c.group(3).contains("PRIMARY KEY")) {
              key = List.of(c.group(1));
            }
          }
        }
        assertThat(key).as("primary key of " + t.group(1)).isNotEmpty();
        out.put(t.group(1), new Table(columns, key));
      }
    }
    assertThat(out).as("tables in " + ConnectorFiles.sqlDir()).isNotEmpty();
    return out;
  }
}
