package io.navstream.compose;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Kafka Connect connector configurations in connectors/config (one {@code <name>.json} per
 * connector, the body of {@code PUT /connectors/<name>/config}), as docker-compose's
 * register-connectors step sends them.
 */
record ConnectorConfigs(Path dir, Map<String, Map<String, String>> byName) {
  static final String DIR = "connectors/config";
  private static final Pattern ENV = Pattern.compile("\\$\\{env:([^}:]+)}");
  private static final ObjectMapper JSON = new ObjectMapper();

  static ConnectorConfigs load(Path repositoryRoot) {
    Path dir = repositoryRoot.resolve(DIR);
    Map<String, Map<String, String>> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList()) {
        String name = f.getFileName().toString().replaceFirst("\\.json$", "");
        out.put(name, JSON.readValue(f.toFile(), new TypeReference<LinkedHashMap<String, String>>() {}));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ConnectorConfigs(dir, out);
  }

  /** Every topic a connector reads ({@code topics}, comma-separated). */
  Set<String> topics() {
    Set<String> out = new TreeSet<>();
    byName.values().forEach(c -> {
      for (String t : c.getOrDefault("topics", "").split(",")) {
        if (!t.isBlank()) {
          out.add(t.strip());
        }
      }
    });
    return out;
  }

  /** Every {@code ${env:NAME}} variable the configurations refer to. */
  Set<String> envVariables() {
    Set<String> out = new TreeSet<>();
    byName.values().forEach(c -> c.values().forEach(v -> {
      Matcher m = ENV.matcher(v);
      while (m.find()) {
        out.add(m.group(1));
      }
    }));
    return out;
  }
}
