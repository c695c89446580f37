package io.navstream.replay.testsupport;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads replay's .jsonl outputs in tests. */
public final class JsonLinesFile {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

  private JsonLinesFile() {}

  /** Every line of {@code file} as JSON, failing on a line that is not one JSON value. */
  public static List<JsonNode> read(Path file) throws IOException {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.map(JsonLinesFile::parse).toList();
    }
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON line: " + line, e);
    }
  }
}
