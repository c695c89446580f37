package io.navstream.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code navstream replay} wrote: its JSON lines, in {@link Values}' form. */
record Replay(
    List<Map<String, String>> navUpdates,
    List<Map<String, String>> rebalanceInstructions,
    List<Map<String, String>> fundStates,
    List<Map<String, String>> deadLetters) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static Replay read(Path out) throws IOException {
    return new Replay(
        lines(out.resolve("nav-updates.jsonl")),
        lines(out.resolve("rebalance-instructions.jsonl")),
        lines(out.resolve("fund-state.jsonl")),
        lines(out.resolve("dead-letter.jsonl")));
  }

  /** The last record per fund, in order of first appearance. */
  static Map<String, Map<String, String>> lastPerFund(List<Map<String, String>> records) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    records.forEach(r -> out.put(r.get("fundId"), r));
    return out;
  }

  /** Each line's top-level fields as text (nested objects as their JSON). */
  private static List<Map<String, String>> lines(Path file) throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      Map<String, String> record = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        record.put(e.getKey(), v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString());
      }
      out.add(record);
    }
    return out;
  }
}
