package io.navstream.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.navstream.compose.ComposeFile.Mount;
import io.navstream.compose.ComposeFile.PortMapping;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The dashboards part of docker-compose.yml (docs/dashboards.md) against the files it uses: Kafka
 * Connect resolves every placeholder of the connector configurations in connectors/config, the
 * registration step mounts what it runs, PostgreSQL runs the table definitions, and Grafana is
 * provisioned with a datasource the dashboard refers to. Like DockerComposeFileTest it starts no
 * container; the connectors, tables and dashboard queries themselves are run for real by the tests
 * of the connectors module.
 */
class DashboardServicesTest {
  private static final String KAFKA = "kafka";
  private static final String REGISTRY = "schema-registry";
  private static final String TOPICS = "topics";
  private static final String NAVSTREAM = "navstream";
  private static final String POSTGRES = "postgres";
  private static final String CONNECT = "connect";
  private static final String REGISTER = "register-connectors";
  private static final String GRAFANA = "grafana";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

  private static Path root;
  private static ComposeFile compose;
  private static ConnectorConfigs connectors;

  @BeforeAll
  static void load() {
    root = ComposeFile.findRepositoryRoot();
    compose = ComposeFile.load(root.resolve(ComposeFile.FILE_NAME), Map.of());
    connectors = ConnectorConfigs.load(root);
  }

  @Test
  void theConnectorConfigurationsExist() {
    assertThat(connectors.byName().keySet()).contains("nav-latest", "nav-history", "rebalances");
    assertThat(connectors.topics()).contains("nav-updates", "nav-candles", "rebalance-instructions");
  }

  @Test
  void connectRunsTheDebeziumVersionThatTheConnectorTestsLoad() {
    String version = pomProperty("debezium.version");
    assertThat(compose.image(CONNECT)).contains("quay.io/debezium/connect:" + version);
    connectors.byName().forEach((name, config) ->
        assertThat(config.get("connector.class")).as(name).isEqualTo("io.debezium.connector.jdbc.JdbcSinkConnector"));
  }

  @Test
  void connectResolvesEveryPlaceholderOfTheConnectorsFromItsEnvironment() {
    Map<String, String> env = compose.environment(CONNECT);
    assertThat(env)
        .containsEntry("CONNECT_CONFIG_PROVIDERS", "env")
        .containsEntry("CONNECT_CONFIG_PROVIDERS_ENV_CLASS", "org.apache.kafka.common.config.provider.EnvVarConfigProvider")
        .containsEntry("ENABLE_APICURIO_CONVERTERS", "true");
    Pattern allowed = Pattern.compile(env.get("CONNECT_CONFIG_PROVIDERS_ENV_PARAM_ALLOWLIST_PATTERN"));
    assertThat(connectors.envVariables()).isNotEmpty();
    for (String variable : connectors.envVariables()) {
      assertThat(env.get(variable)).as(variable + " in the connect service").isNotBlank();
      assertThat(allowed.matcher(variable).matches()).as(variable + " passes the provider's allowlist").isTrue();
      // Debezium's image turns every CONNECT_* variable into a worker property.
      assertThat(variable).doesNotStartWith("CONNECT_");
    }
    // The image's Apicurio converter reads navstream's Confluent wire format with these settings.
    connectors.byName().forEach((name, config) -> assertThat(config)
        .as(name)
        .containsEntry("value.converter", "io.apicurio.registry.utils.converter.AvroConverter")
        .containsEntry("value.converter.apicurio.registry.use-id", "contentId")
        .containsEntry("value.converter.apicurio.registry.as-confluent", "true")
        .containsEntry("key.converter", "org.apache.kafka.connect.storage.StringConverter")
        .containsEntry("schema.evolution", "none"));
    assertThat(env.get("KAFKA_OPTS")).as("the JDBC sink writes instants right only from a UTC JVM").contains("-Duser.timezone=UTC");
  }

  @Test
  void connectReachesKafkaTheRegistryAndPostgresAsNavstreamDoes() {
    Map<String, String> env = compose.environment(CONNECT);
    assertThat(env.get("BOOTSTRAP_SERVERS")).isEqualTo(compose.environment(NAVSTREAM).get("NAVSTREAM_BOOTSTRAP_SERVERS"));
    for (String topic : List.of("CONFIG_STORAGE_TOPIC", "OFFSET_STORAGE_TOPIC", "STATUS_STORAGE_TOPIC")) {
      assertThat(env.get(topic)).as(topic).isNotBlank();
      assertThat(env).containsEntry("CONNECT_" + topic.replace("_TOPIC", "_REPLICATION_FACTOR"), "1");
    }

    URI registry = URI.create(env.get("SINK_REGISTRY_URL"));
    URI navstreamRegistry = URI.create(compose.environment(NAVSTREAM).get("NAVSTREAM_SCHEMA_REGISTRY_URL"));
    assertThat(registry.getHost()).isEqualTo(navstreamRegistry.getHost());
    assertThat(registry.getPort()).isEqualTo(navstreamRegistry.getPort());
    assertThat(registry.getPath()).as("Apicurio's own API, which its converter speaks").isEqualTo("/apis/registry/v2");

    Map<String, String> pg = compose.environment(POSTGRES);
    assertThat(env.get("SINK_DB_URL")).isEqualTo("jdbc:postgresql://" + POSTGRES + ":5432/" + pg.get("POSTGRES_DB"));
    assertThat(env.get("SINK_DB_USER")).isEqualTo(pg.get("POSTGRES_USER"));
    assertThat(env.get("SINK_DB_PASSWORD")).isEqualTo(pg.get("POSTGRES_PASSWORD"));
    ComposeFile custom = ComposeFile.load(root.resolve(ComposeFile.FILE_NAME), Map.of("NAVSTREAM_DB_PASSWORD", "s3cret"));
    assertThat(custom.environment(CONNECT).get("SINK_DB_PASSWORD")).isEqualTo("s3cret");
    assertThat(custom.environment(POSTGRES).get("POSTGRES_PASSWORD")).isEqualTo("s3cret");

    assertThat(compose.dependsOn(CONNECT))
        .containsEntry(KAFKA, "service_healthy")
        .containsEntry(REGISTRY, "service_healthy")
        .containsEntry(POSTGRES, "service_healthy")
        .containsEntry(TOPICS, "service_completed_successfully");
    assertThat(compose.healthcheckTest(CONNECT)).anyMatch(a -> a.startsWith("http://localhost:8083/"));
    assertThat(compose.ports(CONNECT)).extracting(PortMapping::target).contains(8083);
  }

  @Test
  void theRegistrationStepPutsTheConnectorFilesOnceConnectIsHealthy() {
    Map<String, String> env = compose.environment(REGISTER);
    List<Mount> mounts = compose.volumes(REGISTER);

    Mount configs = mountAt(REGISTER, env.get("CONNECTORS_DIR"));
    assertThat(hostPath(configs)).isEqualTo(root.resolve(ConnectorConfigs.DIR).normalize());
    List<String> entrypoint = compose.stringList(REGISTER, "entrypoint");
    assertThat(entrypoint).hasSize(2);
    assertThat(entrypoint.get(0)).isEqualTo("/bin/sh");
    Mount script = mountAt(REGISTER, entrypoint.get(1));
    assertThat(hostPath(script)).isEqualTo(root.resolve("connectors/register/register-connectors.sh")).isRegularFile();
    assertThat(mounts).hasSize(2);

    URI connect = URI.create(env.get("CONNECT_URL"));
    assertThat(connect.getHost()).isEqualTo(CONNECT);
    assertThat(compose.ports(CONNECT)).extracting(PortMapping::target).contains(connect.getPort());
    assertThat(compose.dependsOn(REGISTER)).containsEntry(CONNECT, "service_healthy");
    assertThat(compose.service(REGISTER).path("restart").asText()).isEqualTo("no");
  }

  @Test
  void postgresRunsTheTableDefinitionsAtItsFirstStart() throws IOException {
    Mount init = mountAt(POSTGRES, "/docker-entrypoint-initdb.d");
    Path sql = hostPath(init);
    assertThat(sql).isEqualTo(root.resolve("connectors/sql"));
    try (Stream<Path> files = Files.list(sql)) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".sql")).anyMatch(n -> n.endsWith(".sh"));
    }
    // The init scripts run on a socket-only server: a TCP probe passes only after they are done.
    assertThat(compose.healthcheckTest(POSTGRES)).contains("pg_isready", "-h");
    Map<String, String> pg = compose.environment(POSTGRES);
    Map<String, String> grafana = compose.environment(GRAFANA);
    assertThat(pg.get("GRAFANA_DB_USER")).isNotBlank().isEqualTo(grafana.get("GRAFANA_DB_USER"));
    assertThat(pg.get("GRAFANA_DB_PASSWORD")).isNotBlank().isEqualTo(grafana.get("GRAFANA_DB_PASSWORD"));
    assertThat(compose.volumes(POSTGRES)).anyMatch(m -> m.isNamedVolume() && m.target().equals("/var/lib/postgresql/data"));
  }

  @Test
  void grafanaIsProvisionedWithTheDatasourceThatTheDashboardQueries() throws IOException {
    assertThat(compose.image(GRAFANA)).hasValueSatisfying(i -> assertThat(i).matches("grafana/grafana:11\\.\\d+\\.\\d+"));
    Map<String, String> env = compose.environment(GRAFANA);
    Path datasources = hostPath(mountAt(GRAFANA, "/etc/grafana/provisioning/datasources"));
    Path providers = hostPath(mountAt(GRAFANA, "/etc/grafana/provisioning/dashboards"));

    // The datasource: every variable it uses is in Grafana's environment, and it is the database
    // the sinks write, read with Grafana's own read-only role.
    Path datasourceFile = onlyYaml(datasources);
    String datasourceText = Files.readString(datasourceFile, StandardCharsets.UTF_8);
    Matcher m = GRAFANA_VARIABLE.matcher(datasourceText.replaceAll("(?m)#.*$", ""));
    Set<String> used = new TreeSet<>();
    while (m.find()) {
      used.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    assertThat(used).isNotEmpty();
    used.forEach(v -> assertThat(env.get(v)).as(v + " in the grafana service").isNotBlank());
    Map<String, Object> datasource = first(yaml(datasourceFile), "datasources");
    String uid = (String) datasource.get("uid");
    assertThat(datasource.get("type")).isEqualTo("grafana-postgresql-datasource");
    Map<String, String> pg = compose.environment(POSTGRES);
    assertThat(expand((String) datasource.get("url"), env)).isEqualTo(POSTGRES + ":5432");
    @SuppressWarnings("unchecked")
    Map<String, Object> jsonData = (Map<String, Object>) datasource.get("jsonData");
    assertThat(expand((String) jsonData.get("database"), env)).isEqualTo(pg.get("POSTGRES_DB"));
    assertThat(expand((String) datasource.get("user"), env)).isEqualTo(pg.get("GRAFANA_DB_USER"));

    // The dashboards provider reads the directory the dashboards are mounted at.
    Map<String, Object> provider = first(yaml(onlyYaml(providers)), "providers");
    @SuppressWarnings("unchecked")
    String path = (String) ((Map<String, Object>) provider.get("options")).get("path");
    Path dashboards = hostPath(mountAt(GRAFANA, path));
    assertThat(dashboards).isEqualTo(root.resolve("connectors/grafana/dashboards"));
    String home = env.get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    assertThat(home).startsWith(path + "/");
    assertThat(dashboards.resolve(home.substring(path.length() + 1))).isRegularFile();

    // Every panel, query and variable of every dashboard uses that datasource.
    List<Path> files;
    try (Stream<Path> list = Files.list(dashboards)) {
      files = list.filter(p -> p.toString().endsWith(".json")).toList();
    }
    assertThat(files).isNotEmpty();
    for (Path f : files) {
      List<JsonNode> refs = new ArrayList<>();
      JsonNode dashboard = JSON.readTree(f.toFile());
      dashboard.findParents("datasource").forEach(p -> refs.add(p.get("datasource")));
      assertThat(refs).as(f + " datasource references").isNotEmpty();
      for (JsonNode ref : refs) {
        assertThat(ref.path("uid").asText()).as(f.getFileName() + ": " + ref).isEqualTo(uid);
      }
      assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(4);
    }
    assertThat(compose.dependsOn(GRAFANA)).containsEntry(POSTGRES, "service_healthy");
  }

  @Test
  void everyBindMountOfTheFileExists() {
    int binds = 0;
    for (String service : compose.serviceNames()) {
      for (Mount mount : compose.volumes(service)) {
        if (mount.type().equals("bind")) {
          binds++;
          assertThat(hostPath(mount)).as(service + " mounts " + mount.source()).exists();
        }
      }
    }
    assertThat(binds).as("postgres 1, register-connectors 2, grafana 3").isGreaterThanOrEqualTo(6);
  }

  // ---------------------------------------------------------------------------------------------

  private static Mount mountAt(String service, String target) {
    Optional<Mount> mount = compose.volumes(service).stream().filter(v -> v.target().equals(target)).findFirst();
    assertThat(mount).as(service + " mounts something at " + target).isPresent();
    assertThat(mount.get().type()).as(service + ": " + target + " is a bind mount of the repository").isEqualTo("bind");
    return mount.get();
  }

  private static Path hostPath(Mount mount) {
    return compose.directory().resolve(mount.source()).normalize();
  }

  private static Path onlyYaml(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> yaml = files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList();
      assertThat(yaml).as("provisioning files in " + dir).hasSize(1);
      return yaml.get(0);
    }
  }

  private static Map<String, Object> yaml(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> first(Map<String, Object> doc, String list) {
    List<Map<String, Object>> items = (List<Map<String, Object>>) doc.get(list);
    assertThat(items).as(list).hasSize(1);
    return items.get(0);
  }

  /** Grafana's ${VAR} / $VAR expansion in provisioning files. */
  private static String expand(String value, Map<String, String> env) {
    return GRAFANA_VARIABLE.matcher(value).replaceAll(r -> Matcher.quoteReplacement(
        env.getOrDefault(r.group(1) != null ? r.group(1) : r.group(2), "")));
  }

  private static String pomProperty(String name) {
    try {
      var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(root.resolve("pom.xml").toFile());
      String value = XPathFactory.newInstance().newXPath().evaluate("/project/properties/" + name, doc).strip();
      assertThat(value).as(name + " in the root pom").isNotEmpty();
      return value;
    } catch (Exception e) {
      throw new AssertionError("cannot read " + name + " from the root pom", e);
    }
  }
}
