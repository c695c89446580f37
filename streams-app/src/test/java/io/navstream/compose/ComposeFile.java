package io.navstream.compose;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A docker-compose.yml as docker compose sees it, for tests that cannot run compose: YAML anchors,
 * aliases and {@code <<} merge keys resolved, {@code ${VAR:-default}} interpolated, and the short
 * and long syntaxes of ports, volumes, environment and depends_on read into one form.
 *
 * <p>SnakeYAML does the parsing because Jackson's YAML parser does not resolve aliases or merge
 * keys (it reports {@code *anchor} as the string "anchor"), and compose files rely on both. The
 * result is handed to Jackson as a {@link JsonNode} tree for navigation.
 */
final class ComposeFile {
  static final String FILE_NAME = "docker-compose.yml";

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern VARIABLE =
      Pattern.compile("\\$(?:(\\$)|\\{([^}]*)}|([A-Za-z_][A-Za-z0-9_]*))");
  private static final Pattern BRACED =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])(.*))?", Pattern.DOTALL);

  private final Path directory;
  private final JsonNode root;

  private ComposeFile(Path directory, JsonNode root) {
    this.directory = directory;
    this.root = root;
  }

  /** The nearest directory at or above the working directory that holds docker-compose.yml. */
  static Path findRepositoryRoot() {
    Path start = Path.of("").toAbsolutePath();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(FILE_NAME))) {
        return dir;
      }
    }
    throw new IllegalStateException("no " + FILE_NAME + " in " + start + " or above");
  }

  /**
   * Loads {@code file}, interpolating variables from {@code hostEnv} (the shell or .env of the user
   * running compose) and otherwise from their defaults.
   *
   * @throws IllegalArgumentException when a variable is unset and has no default
   */
  static ComposeFile load(Path file, Map<String, String> hostEnv) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(file.toAbsolutePath().getParent(), in, hostEnv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ComposeFile parse(Path directory, Reader yamlText, Map<String, String> hostEnv) {
    LoaderOptions options = new LoaderOptions();
    // docker compose rejects duplicate keys too.
    options.setAllowDuplicateKeys(false);
    Object document = new Yaml(new SafeConstructor(options)).load(yamlText);
    return new ComposeFile(directory, MAPPER.valueToTree(interpolateTree(document, hostEnv)));
  }

  /** Interpolates every string value (compose never interpolates keys). */
  private static Object interpolateTree(Object node, Map<String, String> hostEnv) {
    if (node instanceof String s) {
      return interpolate(s, hostEnv);
    }
    if (node instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(k, interpolateTree(v, hostEnv)));
      return out;
    }
    if (node instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(interpolateTree(v, hostEnv)));
      return out;
    }
    return node;
  }

  /**
   * Compose's interpolation: {@code $$} is a literal {@code $}; {@code ${VAR}}, {@code $VAR},
   * {@code ${VAR:-default}} (default when unset or empty), {@code ${VAR-default}} (when unset),
   * {@code ${VAR:?message}} / {@code ${VAR?message}} (error) and {@code ${VAR:+alt}} / {@code
   * ${VAR+alt}} (alt when set). Unlike compose, an unset variable without a default is an error
   * here rather than a warning and an empty string.
   */
  static String interpolate(String text, Map<String, String> hostEnv) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group(1) != null) {
        replacement = "$";
      } else if (m.group(3) != null) {
        replacement = required(m.group(3), hostEnv, text);
      } else {
        Matcher b = BRACED.matcher(m.group(2));
        if (!b.matches()) {
          throw new IllegalArgumentException("invalid interpolation ${" + m.group(2) + "} in: " + text);
        }
        String name = b.group(1);
        String op = b.group(2);
        String arg = b.group(3);
        String value = hostEnv.get(name);
        boolean set = value != null;
        boolean nonEmpty = set && !value.isEmpty();
        if (op == null) {
          replacement = required(name, hostEnv, text);
        } else {
          replacement =
              switch (op) {
                case ":-" -> nonEmpty ? value : arg;
                case "-" -> set ? value : arg;
                case ":+" -> nonEmpty ? arg : "";
                case "+" -> set ? arg : "";
                case ":?", "?" -> {
                  if (op.equals(":?") ? nonEmpty : set) {
                    yield value;
                  }
                  throw new IllegalArgumentException("required variable " + name + ": " + arg);
                }
                default -> throw new IllegalStateException(op);
              };
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String required(String name, Map<String, String> hostEnv, String text) {
    String value = hostEnv.get(name);
    if (value == null) {
      throw new IllegalArgumentException(
          "variable " + name + " is not set and has no default, in: " + text);
    }
    return value;
  }

  // ---------------------------------------------------------------------------------------------

  /** The directory of the compose file: relative paths in it resolve from here. */
  Path directory() {
    return directory;
  }

  JsonNode root() {
    return root;
  }

  List<String> serviceNames() {
    List<String> names = new ArrayList<>();
    root.path("services").fieldNames().forEachRemaining(names::add);
    return names;
  }

  JsonNode service(String name) {
    JsonNode s = root.path("services").path(name);
    if (!s.isObject()) {
      throw new IllegalArgumentException("no service " + name + " in " + FILE_NAME);
    }
    return s;
  }

  /** The image of a service, if it names one. */
  Optional<String> image(String service) {
    JsonNode image = service(service).path("image");
    return image.isTextual() ? Optional.of(image.asText()) : Optional.empty();
  }

  /**
   * The environment of a service as raw nodes, from either the map or the {@code KEY=VALUE} list
   * form; a list entry without '=' maps to a null node (compose takes it from the host).
   */
  Map<String, JsonNode> environmentNodes(String service) {
    JsonNode env = service(service).path("environment");
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (env.isObject()) {
      env.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
    } else if (env.isArray()) {
      for (JsonNode entry : env) {
        String s = entry.asText();
        int eq = s.indexOf('=');
        out.put(
            eq < 0 ? s : s.substring(0, eq),
            eq < 0 ? MAPPER.nullNode() : MAPPER.getNodeFactory().textNode(s.substring(eq + 1)));
      }
    }
    return out;
  }

  /** The environment of a service as the container sees it (scalars as text). */
  Map<String, String> environment(String service) {
    Map<String, String> out = new LinkedHashMap<>();
    environmentNodes(service)
        .forEach(
            (k, v) -> {
              if (v.isContainerNode()) {
                throw new IllegalArgumentException(service + ": " + k + " is not a scalar");
              }
              out.put(k, v.isNull() ? null : v.asText());
            });
    return out;
  }

  /** One entry of {@code ports}; {@code published} is null when compose picks the host port. */
  record PortMapping(String hostIp, String published, int target, String protocol) {}

  List<PortMapping> ports(String service) {
    List<PortMapping> out = new ArrayList<>();
    for (JsonNode p : service(service).path("ports")) {
      if (p.isObject()) {
        out.add(
            new PortMapping(
                textOrNull(p.get("host_ip")),
                textOrNull(p.get("published")),
                p.path("target").asInt(),
                p.path("protocol").asText("tcp")));
        continue;
      }
      String spec = p.asText();
      String protocol = "tcp";
      int slash = spec.indexOf('/');
      if (slash >= 0) {
        protocol = spec.substring(slash + 1);
        spec = spec.substring(0, slash);
      }
      String[] parts = spec.split(":");
      switch (parts.length) {
        case 1 -> out.add(new PortMapping(null, null, Integer.parseInt(parts[0]), protocol));
        case 2 -> out.add(new PortMapping(null, parts[0], Integer.parseInt(parts[1]), protocol));
        case 3 -> out.add(new PortMapping(parts[0], parts[1], Integer.parseInt(parts[2]), protocol));
        default -> throw new IllegalArgumentException(service + ": cannot read port " + p);
      }
    }
    return out;
  }

  /** One entry of {@code volumes}; {@code source} is null for an anonymous volume. */
  record Mount(String type, String source, String target) {
    boolean isNamedVolume() {
      return type.equals("volume") && source != null;
    }
  }

  List<Mount> volumes(String service) {
    List<Mount> out = new ArrayList<>();
    for (JsonNode v : service(service).path("volumes")) {
      if (v.isObject()) {
        out.add(
            new Mount(
                v.path("type").asText("volume"), textOrNull(v.get("source")), v.path("target").asText()));
        continue;
      }
      String[] parts = v.asText().split(":");
      if (parts.length == 1) {
        out.add(new Mount("volume", null, parts[0]));
      } else {
        String source = parts[0];
        boolean bind = source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
        out.add(new Mount(bind ? "bind" : "volume", source, parts[1]));
      }
    }
    return out;
  }

  /** depends_on as service → condition, from the list form (service_started) or the map form. */
  Map<String, String> dependsOn(String service) {
    JsonNode deps = service(service).path("depends_on");
    Map<String, String> out = new LinkedHashMap<>();
    if (deps.isArray()) {
      deps.forEach(d -> out.put(d.asText(), "service_started"));
    } else if (deps.isObject()) {
      deps.fields()
          .forEachRemaining(
              e -> out.put(e.getKey(), e.getValue().path("condition").asText("service_started")));
    }
    return out;
  }

  /** The healthcheck's test as an argument list, starting with CMD or CMD-SHELL; empty if none. */
  List<String> healthcheckTest(String service) {
    JsonNode hc = service(service).path("healthcheck");
    if (hc.path("disable").asBoolean(false)) {
      return List.of();
    }
    JsonNode test = hc.path("test");
    List<String> out = new ArrayList<>();
    if (test.isArray()) {
      test.forEach(t -> out.add(t.asText()));
    } else if (test.isTextual()) {
      out.add("CMD-SHELL");
      out.add(test.asText());
    }
    return out;
  }

  /** {@code command} or {@code entrypoint} as a list ("" when absent; a string is one element). */
  List<String> stringList(String service, String field) {
    JsonNode node = service(service).path(field);
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (node.isTextual()) {
      out.add(node.asText());
    }
    return out;
  }

  /** The top-level volume names. */
  List<String> declaredVolumes() {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = root.path("volumes").fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
