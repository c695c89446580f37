package io.navstream.connect;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The files of connectors/: connector configurations, SQL, registration script, Grafana. */
final class ConnectorFiles {
  static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{env:([^}:]+)}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConnectorFiles() {}

  /** connectors/, from the build (or the working directory when run from it). */
  static Path dir() {
    return Path.of(System.getProperty("navstream.connectors.dir", ".")).toAbsolutePath().normalize();
  }

  static Path configDir() {
    return dir().resolve("config");
  }

  static Path sqlDir() {
    return dir().resolve("sql");
  }

  static Path registerScript() {
    return dir().resolve("register/register-connectors.sh");
  }

  static Path dashboard() {
    return dir().resolve("grafana/dashboards/navstream.json");
  }

  /** Every connector configuration: connector name (the file name) to its config map. */
  static Map<String, Map<String, String>> configs() {
    Map<String, Map<String, String>> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(configDir())) {
      for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        String name = f.getFileName().toString().replaceFirst("\\.json$", "");
        out.put(name, JSON.readValue(f.toFile(), new TypeReference<LinkedHashMap<String, String>>() {}));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The {@code ${env:NAME}} variables a configuration refers to. */
  static Map<String, String> envPlaceholders(Map<String, String> config) {
    Map<String, String> out = new TreeMap<>();
    config.forEach(
        (key, value) -> {
          Matcher m = ENV_PLACEHOLDER.matcher(value);
          while (m.find()) {
            out.put(m.group(1), key);
          }
        });
    return out;
  }
}
