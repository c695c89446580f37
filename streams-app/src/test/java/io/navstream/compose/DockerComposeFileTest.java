package io.navstream.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.navstream.cli.NavstreamCli;
import io.navstream.compose.ComposeFile.Mount;
import io.navstream.compose.ComposeFile.PortMapping;
import io.navstream.compose.DockerfileModel.Copy;
import io.navstream.compose.DockerfileModel.Instruction;
import io.navstream.compose.DockerfileModel.Stage;
import io.navstream.config.ConfigKey;
import io.navstream.config.ConfigKeys;
import io.navstream.config.NavstreamConfig;
import io.navstream.topology.TopicNames;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Checks docker-compose.yml, streams-app/Dockerfile and .dockerignore against navstream itself.
 * Nothing here starts a container (CI has no Docker): the files are parsed the way compose and
 * Docker read them, and what they say is compared with navstream's configuration keys, topic
 * names, command line and build.
 */
class DockerComposeFileTest {
  private static final String KAFKA = "kafka";
  private static final String REGISTRY = "schema-registry";
  private static final String TOPICS = "topics";
  private static final String NAVSTREAM = "navstream";
  private static final String SIMULATOR = "simulator";
  /** The dashboards part (docs/dashboards.md), checked in detail by DashboardServicesTest. */
  private static final String POSTGRES = "postgres";
  private static final String CONNECT = "connect";
  private static final String REGISTER_CONNECTORS = "register-connectors";
  private static final String GRAFANA = "grafana";

  /** What docs/docker-compose.md promises about the navstream containers' configuration. */
  private static final String BOOTSTRAP = "kafka:9092";
  private static final String REGISTRY_URL = "http://schema-registry:8080/apis/ccompat/v7";
  private static final int DEFAULT_PARTITIONS = 6;

  private static final Set<String> TOP_LEVEL_KEYS =
      Set.of("name", "services", "volumes", "networks", "configs", "secrets", "include");
  /** The compose-spec service attributes this project may use; anything else is likely a typo. */
  private static final Set<String> SERVICE_KEYS =
      Set.of(
          "build", "image", "command", "entrypoint", "environment", "env_file", "ports", "expose",
          "volumes", "depends_on", "healthcheck", "restart", "hostname", "stop_grace_period",
          "stop_signal", "deploy", "profiles", "networks", "labels", "init", "user", "working_dir",
          "pull_policy", "mem_limit", "cpus", "logging", "ulimits", "extra_hosts", "tmpfs",
          "read_only", "security_opt", "cap_add", "cap_drop", "platform", "container_name");
  private static final Set<String> CONDITIONS =
      Set.of("service_started", "service_healthy", "service_completed_successfully");

  private static Path root;
  private static ComposeFile compose;

  @BeforeAll
  static void load() {
    root = ComposeFile.findRepositoryRoot();
    compose = ComposeFile.load(root.resolve(ComposeFile.FILE_NAME), Map.of());
  }

  // ---------------------------------------------------------------------------------------------
  // The compose file's shape

  @Test
  void isACurrentComposeFileWithKnownAttributesOnly() {
    List<String> topLevel = new ArrayList<>();
    compose.root().fieldNames().forEachRemaining(topLevel::add);
    assertThat(topLevel)
        .as("compose-spec files have no version: key; x-* are extensions")
        .allMatch(k -> TOP_LEVEL_KEYS.contains(k) || k.startsWith("x-"), "a compose-spec key");
    assertThat(compose.serviceNames())
        .containsExactlyInAnyOrder(
            KAFKA, REGISTRY, TOPICS, NAVSTREAM, SIMULATOR, POSTGRES, CONNECT, REGISTER_CONNECTORS, GRAFANA);
    for (String service : compose.serviceNames()) {
      List<String> keys = new ArrayList<>();
      compose.service(service).fieldNames().forEachRemaining(keys::add);
      assertThat(keys).as("attributes of " + service).allMatch(SERVICE_KEYS::contains, "known");
    }
  }

  @Test
  void everyServiceRunsAPinnedImageOrABuildOfAnExistingDockerfile() {
    for (String service : compose.serviceNames()) {
      JsonNode build = compose.service(service).path("build");
      if (!build.isMissingNode()) {
        Path dockerfile = dockerfileOf(service);
        assertThat(dockerfile).as(service + " build").isRegularFile();
      } else {
        assertThat(compose.image(service)).as(service + " has neither build nor image").isPresent();
      }
      compose
          .image(service)
          .ifPresent(image -> assertThat(hasExplicitTag(image)).as(service + ": " + image + " needs a tag other than latest").isTrue());
    }
  }

  @Test
  void theSimulatorRunsTheImageThatTheNavstreamServiceBuilds() {
    assertThat(compose.service(NAVSTREAM).has("build")).isTrue();
    assertThat(compose.service(SIMULATOR).has("build"))
        .as("one build: compose skips pulling an image that another service builds")
        .isFalse();
    assertThat(compose.image(SIMULATOR)).isPresent().isEqualTo(compose.image(NAVSTREAM));
  }

  @Test
  void composeBuildsTheDockerfileFromTheRepositoryRoot() throws IOException {
    JsonNode build = compose.service(NAVSTREAM).path("build");
    Path context = compose.directory().resolve(build.path("context").asText(".")).normalize();
    assertThat(context.toRealPath()).isEqualTo(root.toRealPath());
    assertThat(root.relativize(dockerfileOf(NAVSTREAM)).toString().replace('\\', '/'))
        .isEqualTo("streams-app/Dockerfile");
  }

  @Test
  void dependenciesNameExistingServicesWithConditionsTheyCanMeet() {
    for (String service : compose.serviceNames()) {
      compose
          .dependsOn(service)
          .forEach(
              (target, condition) -> {
                String what = service + " depends on " + target + " (" + condition + ")";
                assertThat(compose.serviceNames()).as(what).contains(target);
                assertThat(CONDITIONS).as(what).contains(condition);
                if (condition.equals("service_healthy")) {
                  assertThat(compose.healthcheckTest(target))
                      .as(what + ": the target needs a healthcheck")
                      .isNotEmpty();
                }
                if (condition.equals("service_completed_successfully")) {
                  assertThat(compose.service(target).path("restart").asText("no"))
                      .as(what + ": a one-shot service must not be restarted")
                      .isIn("no", "on-failure");
                }
              });
    }
    Map<String, String> expected =
        Map.of(
            KAFKA, "service_healthy",
            REGISTRY, "service_healthy",
            TOPICS, "service_completed_successfully");
    assertThat(compose.dependsOn(NAVSTREAM)).isEqualTo(expected);
    assertThat(compose.dependsOn(SIMULATOR)).isEqualTo(expected);
    assertThat(compose.dependsOn(TOPICS)).isEqualTo(Map.of(KAFKA, "service_healthy"));
  }

  @Test
  void kafkaAndTheSchemaRegistryHaveHealthchecks() {
    for (String service : List.of(KAFKA, REGISTRY)) {
      List<String> test = compose.healthcheckTest(service);
      assertThat(test).as(service + " healthcheck").hasSizeGreaterThan(1);
      assertThat(test.get(0)).isIn("CMD", "CMD-SHELL");
    }
    List<String> kafkaTest = compose.healthcheckTest(KAFKA);
    assertThat(kafkaTest.get(1)).endsWith("/kafka-broker-api-versions.sh");
    int i = kafkaTest.indexOf("--bootstrap-server");
    assertThat(i).isPositive();
    assertThat(kafkaTest.get(i + 1))
        .as("the probe asks the in-network listener that navstream uses")
        .isEqualTo("localhost:" + port(BOOTSTRAP));
  }

  @Test
  void publishedHostPortsAreUniqueAndNavstreamCanBeScaled() {
    Map<String, String> owners = new HashMap<>();
    for (String service : compose.serviceNames()) {
      for (PortMapping p : compose.ports(service)) {
        if (p.published() != null) {
          String hostPort = p.published() + "/" + p.protocol();
          String other = owners.put(hostPort, service);
          assertThat(other).as("host port " + hostPort + " of " + service).isNull();
        }
      }
    }
    assertThat(owners.values())
        .as("kafka, the registry, Connect's REST API and Grafana are reachable from the host")
        .containsExactlyInAnyOrder(KAFKA, REGISTRY, CONNECT, GRAFANA);
    for (String service : compose.serviceNames()) {
      for (PortMapping p : compose.ports(service)) {
        if (p.published() != null) {
          assertThat(p.hostIp())
              .as(service + " publishes " + p + " on loopback only: nothing here has real authentication")
              .isEqualTo("127.0.0.1");
        }
      }
    }
    for (String service : List.of(NAVSTREAM, SIMULATOR)) {
      assertThat(compose.ports(service))
          .as(service + ": a fixed host port would stop `--scale`")
          .allMatch(p -> p.published() == null);
      assertThat(compose.service(service).has("container_name"))
          .as(service + ": a container_name would stop `--scale`")
          .isFalse();
    }
  }

  @Test
  void namedVolumesAreDeclared() {
    for (String service : compose.serviceNames()) {
      for (Mount m : compose.volumes(service)) {
        if (m.isNamedVolume()) {
          assertThat(compose.declaredVolumes()).as(service + " mounts " + m.source()).contains(m.source());
        }
      }
    }
    assertThat(compose.volumes(KAFKA))
        .containsExactly(new Mount("volume", "kafka-data", env(KAFKA).get("KAFKA_LOG_DIRS")));
  }

  // ---------------------------------------------------------------------------------------------
  // navstream's configuration

  @ParameterizedTest
  @ValueSource(strings = {NAVSTREAM, SIMULATOR})
  void navstreamVariablesAreKeysNavstreamKnows(String service) {
    Set<String> known = new TreeSet<>();
    ConfigKeys.ALL.stream().map(ConfigKey::envName).forEach(known::add);
    known.add(ConfigKeys.LOG_LEVEL_ENV);
    Map<String, JsonNode> env = compose.environmentNodes(service);
    assertThat(env).isNotEmpty();
    env.forEach(
        (name, value) -> {
          assertThat(value.isTextual())
              .as(service + ": quote " + name + " so YAML does not turn it into a number or boolean")
              .isTrue();
          if (name.startsWith(ConfigKey.ENV_PREFIX)) {
            assertThat(known.contains(name) || name.startsWith(ConfigKey.ENV_PREFIX + "KAFKA_"))
                .as(service + ": " + name + " is not a navstream setting (navstream refuses to start)")
                .isTrue();
          }
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {NAVSTREAM, SIMULATOR})
  void theEnvironmentLoadsIntoNavstreamsConfiguration(String service) {
    NavstreamConfig config = navstreamConfig(compose, service);
    assertThat(config.bootstrapServers()).contains(BOOTSTRAP);
    assertThat(config.schemaRegistryUrl()).contains(REGISTRY_URL);
    assertThat(config.partitions()).isEqualTo(DEFAULT_PARTITIONS);
    assertThat(config.createTopics()).as("topics come from the topics service").isFalse();
    assertThat(config.replicationFactor()).isEqualTo((short) 1);
    assertThat(config.applicationId()).isEqualTo("navstream");
    assertThat(config.topicNames()).isEqualTo(TopicNames.defaults());
    assertThat(config.streamsProperties().getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(env(service)).containsEntry(ConfigKeys.LOG_LEVEL_ENV, "INFO");
  }

  @Test
  void navstreamKeepsItsStateOnAVolumeOfItsOwn() {
    String stateDir = navstreamConfig(compose, NAVSTREAM).value(ConfigKeys.STATE_DIR).orElseThrow();
    List<Mount> mounts =
        compose.volumes(NAVSTREAM).stream().filter(m -> m.target().equals(stateDir)).toList();
    assertThat(mounts).as("a volume at the state directory " + stateDir).hasSize(1);
    // Kafka Streams locks its state directory: replicas sharing a named volume could not start.
    assertThat(mounts.get(0).source()).as("anonymous, one per replica").isNull();
  }

  @Test
  void partitionsFollowTheComposeVariableEverywhere() {
    ComposeFile twelve =
        ComposeFile.load(root.resolve(ComposeFile.FILE_NAME), Map.of("NAVSTREAM_PARTITIONS", "12"));
    assertThat(navstreamConfig(twelve, NAVSTREAM).partitions()).isEqualTo(12);
    assertThat(navstreamConfig(twelve, SIMULATOR).partitions()).isEqualTo(12);
    assertThat(TopicsScript.of(twelve).option("--partitions")).isEqualTo("12");
    assertThat(TopicsScript.of(compose).option("--partitions"))
        .isEqualTo(String.valueOf(DEFAULT_PARTITIONS));
  }

  @Test
  void theRegistryUrlPointsAtTheSchemaRegistrysPortAndPath() {
    URI url = URI.create(navstreamConfig(compose, NAVSTREAM).schemaRegistryUrl().orElseThrow());
    assertThat(serviceAnswering(url.getHost())).isEqualTo(REGISTRY);
    assertThat(containerPorts(REGISTRY)).contains(url.getPort());
    assertThat(url.getPath()).isEqualTo("/apis/ccompat/v7");

    URI probe =
        compose.healthcheckTest(REGISTRY).stream()
            .filter(a -> a.startsWith("http"))
            .map(URI::create)
            .findFirst()
            .orElseThrow(() -> new AssertionError("the registry healthcheck calls no URL"));
    assertThat(probe.getPort()).as("the healthcheck probes the port navstream uses").isEqualTo(url.getPort());
    assertThat(probe.getPath()).as("and the API navstream uses").startsWith(url.getPath() + "/");
  }

  @Test
  void bootstrapServersAreKafkasInNetworkListener() {
    Map<String, String> kafka = env(KAFKA);
    Map<String, String> advertised = listeners(kafka.get("KAFKA_ADVERTISED_LISTENERS"));
    Map<String, String> bound = listeners(kafka.get("KAFKA_LISTENERS"));
    Set<String> controllers = Set.of(kafka.get("KAFKA_CONTROLLER_LISTENER_NAMES").split(","));

    String bootstrap = navstreamConfig(compose, NAVSTREAM).bootstrapServers().orElseThrow();
    for (String server : bootstrap.split(",")) {
      String listener =
          advertised.entrySet().stream()
              .filter(e -> e.getValue().equals(server))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElseThrow(() -> new AssertionError(server + " is not an advertised listener of kafka"));
      assertThat(serviceAnswering(host(server))).isEqualTo(KAFKA);
      assertThat(controllers).doesNotContain(listener);
      assertThat(port(bound.get(listener))).as("bound on the advertised port").isEqualTo(port(server));
      assertThat(kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP")).contains(listener + ":PLAINTEXT");
    }
    assertThat(TopicsScript.of(compose).option("--bootstrap-server")).isEqualTo(bootstrap);

    // The host listener: advertised as localhost:P, so P must be published as P.
    advertised.forEach(
        (listener, address) -> {
          if (host(address).equals("localhost")) {
            int p = port(address);
            assertThat(compose.ports(KAFKA))
                .as(listener + " advertises " + address)
                .anyMatch(m -> String.valueOf(p).equals(m.published()) && m.target() == p);
            assertThat(port(bound.get(listener))).isEqualTo(p);
          }
        });
  }

  @Test
  void kafkaIsOneKraftNodeOnWhichExactlyOnceWorks() {
    Map<String, String> kafka = env(KAFKA);
    assertThat(Set.of(kafka.get("KAFKA_PROCESS_ROLES").split(","))).containsExactlyInAnyOrder("broker", "controller");
    assertThatCode(() -> Uuid.fromString(kafka.get("CLUSTER_ID"))).doesNotThrowAnyException();

    String voters = kafka.get("KAFKA_CONTROLLER_QUORUM_VOTERS");
    assertThat(voters.split(",")).hasSize(1);
    Matcher voter = Pattern.compile("(\\d+)@([^:]+):(\\d+)").matcher(voters);
    assertThat(voter.matches()).as(voters).isTrue();
    assertThat(voter.group(1)).isEqualTo(kafka.get("KAFKA_NODE_ID"));
    assertThat(serviceAnswering(voter.group(2))).isEqualTo(KAFKA);
    String controller = kafka.get("KAFKA_CONTROLLER_LISTENER_NAMES");
    assertThat(port(listeners(kafka.get("KAFKA_LISTENERS")).get(controller)))
        .isEqualTo(Integer.parseInt(voter.group(3)));

    // One broker holds at most one replica: internal topics asking for more could not be created,
    // and transactions (exactly_once_v2) would never get their transaction log.
    for (String setting :
        List.of(
            "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
            "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
            "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")) {
      assertThat(kafka).as(setting).containsEntry(setting, "1");
    }
    assertThat(kafka).containsEntry("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
  }

  @Test
  void theTopicsServiceCreatesExactlyNavstreamsTopicsAndThoseTheConnectorsRead() {
    TopicNames names = TopicNames.defaults();
    Set<String> all = new TreeSet<>(names.inputs().values());
    all.addAll(names.outputs().values());
    // Auto-creation is off: a topic a sink connector reads (nav-candles) must be created too.
    all.addAll(ConnectorConfigs.load(root).topics());
    Set<String> compacted = all.stream().filter(names::isCompacted).collect(Collectors.toCollection(TreeSet::new));

    TopicsScript script = TopicsScript.of(compose);
    assertThat(script.created().keySet()).containsExactlyInAnyOrderElementsOf(all);
    assertThat(script.created().entrySet().stream()
            .filter(e -> e.getValue().contains("cleanup.policy=compact"))
            .map(Map.Entry::getKey))
        .containsExactlyInAnyOrderElementsOf(compacted);
    assertThat(compacted).containsExactlyInAnyOrder("fund-definitions", "fund-state");

    assertThat(script.function()).contains("kafka-topics.sh", "--create", "--if-not-exists", "--topic \"$@\"");
    assertThat(script.option("--replication-factor")).isEqualTo("1");
    assertThat(compose.image(TOPICS)).as("the tools match the broker").isEqualTo(compose.image(KAFKA));
    List<String> entrypoint = compose.stringList(TOPICS, "entrypoint");
    assertThat(entrypoint).hasSize(2);
    assertThat(entrypoint.get(1)).as("-e: a failed creation fails the service").matches("-[a-z]*e[a-z]*c");
  }

  @Test
  void theServicesRunNavstreamCommandsThatExist() {
    CommandLine cli = NavstreamCli.commandLine();
    List<String> run = compose.stringList(NAVSTREAM, "command");
    ParseResult parsed = cli.parseArgs(run.toArray(String[]::new));
    assertThat(parsed.subcommand()).isNotNull();
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("run");

    List<String> simulate = compose.stringList(SIMULATOR, "command");
    assertThat(simulate).startsWith("simulate");
    assumeTrue(
        NavstreamCli.commandLine().getSubcommands().containsKey("simulate"),
        "the simulate command is not on this branch yet");
    ParseResult sim = NavstreamCli.commandLine().parseArgs(simulate.toArray(String[]::new));
    assertThat(sim.subcommand().commandSpec().name()).isEqualTo("simulate");
  }

  // ---------------------------------------------------------------------------------------------
  // The image

  @Test
  void theDockerfileBuildsFromPinnedImagesInTwoStages() {
    DockerfileModel dockerfile = dockerfile();
    assertThat(dockerfile.stages()).hasSizeGreaterThanOrEqualTo(2);
    Set<String> earlier = new TreeSet<>();
    for (Stage stage : dockerfile.stages()) {
      assertThat(earlier.contains(stage.image()) || hasExplicitTag(stage.image()))
          .as("FROM " + stage.image() + " needs a tag other than latest")
          .isTrue();
      if (stage.name() != null) {
        earlier.add(stage.name());
      }
    }
    String release = pomValue(root.resolve("pom.xml"), "/project/properties/maven.compiler.release");
    for (Stage stage : dockerfile.stages()) {
      assertThat(javaMajor(stage.image()))
          .as(stage.image() + " runs the project's Java release " + release)
          .isGreaterThanOrEqualTo(Integer.parseInt(release));
    }
  }

  @Test
  void theFinalStageCopiesOnlyTheJarThatTheBuildStageBuilds() {
    DockerfileModel dockerfile = dockerfile();
    Stage last = dockerfile.finalStage();
    List<Copy> copies = last.copies();
    assertThat(copies).as("the final image holds the jar and nothing else from the build").hasSize(1);
    Copy jar = copies.get(0);
    assertThat(jar.from()).isNotNull();
    Stage build = dockerfile.stage(jar.from()).orElseThrow(() -> new AssertionError("no stage " + jar.from()));
    String finalName = pomValue(root.resolve("streams-app/pom.xml"), "/project/build/finalName");
    assertThat(jar.sources())
        .containsExactly(build.workdir() + "/streams-app/target/" + finalName + ".jar");
    assertThat(jar.destination()).endsWith(".jar");
  }

  @Test
  void theEntrypointRunsTheJarAndTheDefaultCommandIsRun() {
    Stage last = dockerfile().finalStage();
    String jar = last.copies().get(0).destination();
    List<String> entrypoint =
        DockerfileModel.execForm(last.last("ENTRYPOINT").orElseThrow())
            .orElseThrow(() -> new AssertionError("exec form, so that java receives SIGTERM"));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    int i = entrypoint.indexOf("-jar");
    assertThat(i).as("ENTRYPOINT runs -jar").isPositive();
    assertThat(entrypoint.subList(i + 1, entrypoint.size())).containsExactly(jar);
    assertThat(entrypoint).anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage="));

    List<String> cmd = DockerfileModel.execForm(last.last("CMD").orElseThrow()).orElseThrow();
    assertThat(cmd).containsExactly("run");
    assertThat(NavstreamCli.commandLine().getSubcommands()).containsKey(cmd.get(0));
  }

  @Test
  void theImageRunsAsANonRootUserThatOwnsTheStateDirectory() {
    Stage last = dockerfile().finalStage();
    String user = last.last("USER").orElseThrow(() -> new AssertionError("no USER")).arguments();
    assertThat(user.split(":")[0]).isNotIn("root", "0");
    String stateDir = navstreamConfig(compose, NAVSTREAM).value(ConfigKeys.STATE_DIR).orElseThrow();
    String runs = last.all("RUN").stream().map(Instruction::arguments).collect(Collectors.joining("\n"));
    assertThat(runs)
        .as("the state directory exists in the image and belongs to the user")
        .contains("mkdir -p", stateDir)
        .containsPattern("chown [^\\n]*" + Pattern.quote(stateDir));
  }

  @Test
  void theBuildStageCopiesExistingFilesThatTheContextSends() throws IOException {
    DockerfileModel dockerfile = dockerfile();
    Stage build = dockerfile.stage(dockerfile.finalStage().copies().get(0).from()).orElseThrow();
    DockerIgnore ignore =
        DockerIgnore.parse(Files.readString(root.resolve(".dockerignore"), StandardCharsets.UTF_8));

    List<String> sources = new ArrayList<>();
    build.copies().stream().filter(c -> c.from() == null).forEach(c -> sources.addAll(c.sources()));
    assertThat(sources).as("the build copies the parent pom and both modules").contains("pom.xml", "schemas/", "streams-app/");
    for (String source : sources) {
      Path path = root.resolve(source);
      assertThat(path).as("COPY " + source).exists();
      assertThat(ignore.excludes(source)).as(source + " is sent to the build").isFalse();
      for (Path input : buildInputs(path)) {
        String relative = root.relativize(input).toString().replace('\\', '/');
        assertThat(ignore.excludes(relative)).as(relative + " is sent to the build").isFalse();
      }
    }
    String maven = build.all("RUN").stream().map(Instruction::arguments).collect(Collectors.joining("\n"));
    assertThat(maven).containsPattern("(^|\\s)(mvn|\\./mvnw) .*package");
    if (maven.contains("./mvnw")) {
      assertThat(sources).contains("mvnw", ".mvn/");
    }
    // What the image never needs, keeping the context small.
    assertThat(ignore.excludes(".git")).isTrue();
    assertThat(ignore.excludes("streams-app/target/navstream.jar")).isTrue();
    assertThat(ignore.excludes("streams-app/target/apicurio/bin/run.sh")).isTrue();
    assertThat(ignore.excludes("schemas/target/classes/x.class")).isTrue();
  }

  // ---------------------------------------------------------------------------------------------

  /** The script of the topics service, read as the shell would run it. */
  private record TopicsScript(String function, Map<String, String> created) {
    private static final Pattern FUNCTION = Pattern.compile("create\\(\\)\\s*\\{(.*?)\\n\\s*}", Pattern.DOTALL);
    private static final Pattern CALL = Pattern.compile("^\\s*create\\s+(\\S+)(.*)$", Pattern.MULTILINE);

    static TopicsScript of(ComposeFile compose) {
      String script = String.join("\n", compose.stringList(TOPICS, "command"));
      String joined = script.replace("\\\n", " ");
      Matcher f = FUNCTION.matcher(joined);
      assertThat(f.find()).as("a create() function in the topics script").isTrue();
      Map<String, String> created = new LinkedHashMap<>();
      Matcher call = CALL.matcher(joined);
      while (call.find()) {
        String previous = created.put(call.group(1), call.group(2).strip());
        assertThat(previous).as("topic " + call.group(1) + " created twice").isNull();
      }
      return new TopicsScript(f.group(1).replaceAll("\\s+", " "), created);
    }

    String option(String name) {
      Matcher m = Pattern.compile(Pattern.quote(name) + "\\s+(\\S+)").matcher(function);
      assertThat(m.find()).as(name + " in the topics script").isTrue();
      return m.group(1);
    }
  }

  private static Map<String, String> env(String service) {
    return compose.environment(service);
  }

  private static NavstreamConfig navstreamConfig(ComposeFile file, String service) {
    Map<String, String> env = new HashMap<>();
    file.environment(service).forEach((k, v) -> {
      if (v != null) {
        env.put(k, v);
      }
    });
    return NavstreamConfig.load(null, env);
  }

  private static Path dockerfileOf(String service) {
    JsonNode build = compose.service(service).path("build");
    Path context =
        compose.directory().resolve(build.isTextual() ? build.asText() : build.path("context").asText("."));
    return context.resolve(build.path("dockerfile").asText("Dockerfile")).normalize();
  }

  private static DockerfileModel dockerfile() {
    try {
      return DockerfileModel.parse(Files.readString(dockerfileOf(NAVSTREAM), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The service whose name or hostname is {@code host}, as the compose network resolves it. */
  private static String serviceAnswering(String host) {
    return compose.serviceNames().stream()
        .filter(s -> s.equals(host) || host.equals(compose.service(s).path("hostname").asText(null)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no service answers to " + host));
  }

  private static Set<Integer> containerPorts(String service) {
    Set<Integer> ports = new TreeSet<>();
    compose.ports(service).forEach(p -> ports.add(p.target()));
    compose.service(service).path("expose").forEach(e -> ports.add(Integer.parseInt(e.asText())));
    return ports;
  }

  /** "NAME://host:port,..." as name → "host:port". */
  private static Map<String, String> listeners(String spec) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String l : spec.split(",")) {
      int sep = l.indexOf("://");
      out.put(l.substring(0, sep), l.substring(sep + 3));
    }
    return out;
  }

  private static String host(String hostPort) {
    return hostPort.substring(0, hostPort.lastIndexOf(':'));
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  /** A tag other than latest, or a digest. */
  static boolean hasExplicitTag(String image) {
    if (image.contains("@sha256:")) {
      return true;
    }
    int colon = image.lastIndexOf(':');
    if (colon < image.lastIndexOf('/') + 1) {
      return false;
    }
    String tag = image.substring(colon + 1);
    return !tag.isEmpty() && !tag.equals("latest");
  }

  /** The Java major version in a temurin-based image tag ("17-jre", "3.9-eclipse-temurin-17"). */
  private static int javaMajor(String image) {
    Matcher m = Pattern.compile("(?:temurin-|temurin:)(\\d+)").matcher(image);
    assertThat(m.find()).as(image + " names its Java version").isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static String pomValue(Path pom, String xpath) {
    try {
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
      String value =
          javax.xml.xpath.XPathFactory.newInstance().newXPath().evaluate(xpath, doc).strip();
      assertThat(value).as(xpath + " in " + pom).isNotEmpty();
      return value;
    } catch (Exception e) {
      throw new AssertionError("cannot read " + xpath + " from " + pom, e);
    }
  }

  /** The files of a copied path that the Maven build reads: poms and everything under src/. */
  private static List<Path> buildInputs(Path path) throws IOException {
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    try (Stream<Path> files = Files.walk(path)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> {
            String rel = path.relativize(f).toString().replace('\\', '/');
            // node_modules is npm's install output, rebuilt by `npm ci` in the image.
            return (rel.equals("pom.xml") || rel.startsWith("src/")) && !rel.contains("/node_modules/");
          })
          .toList();
    }
  }
}
