package io.navstream.it;

import io.navstream.topology.DeadLetters;
import io.navstream.topology.TopicNames;
import io.navstream.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The outputs of one run as comparable text lines, per topic role, then per record key, in the
 * order they were written. Order is only defined per key (a fund's records share a partition), so
 * that is the unit of comparison.
 *
 * <p>A line holds the Kafka timestamp and the decoded value, whose decimals print with their full
 * scale, so equal lines mean equal values to the last of 18 decimals. Dead letters add their
 * reason and source topic, and the rejected record decoded with the source topic's schema.
 */
final class RunOutputs {
  static final String NAV = "nav-updates";
  static final String INSTRUCTIONS = "rebalance-instructions";
  static final String STATE = "fund-state";
  static final String DEAD_LETTER = "dead-letter";
  static final List<String> ROLES = List.of(NAV, INSTRUCTIONS, STATE, DEAD_LETTER);

  private final Topics topics;
  private final Map<String, Map<String, List<String>>> linesByRoleAndKey = new LinkedHashMap<>();

  /** @param topics decodes the values (live: over the real registry; reference: in memory) */
  RunOutputs(Topics topics) {
    this.topics = topics;
    ROLES.forEach(role -> linesByRoleAndKey.put(role, new TreeMap<>()));
  }

  /**
   * The output topics these comparisons cover, one per role. nav-candles is left out: its
   * emission is covered by NavTopologyTest and the Connect tests.
   */
  static List<String> topics(TopicNames names) {
    return ROLES.stream().map(names.outputs()::get).toList();
  }

  /** The role of a compared output topic, or null for any other topic. */
  static String roleOf(TopicNames names, String topic) {
    for (String role : ROLES) {
      if (names.outputs().get(role).equals(topic)) {
        return role;
      }
    }
    return null;
  }

  /** Adds one output record, as read from {@code topic}. */
  void add(String topic, String key, byte[] value, long timestamp, Headers headers) {
    String role = roleOf(topics.names(), topic);
    if (role == null) {
      throw new IllegalArgumentException(topic + " is not an output topic of " + topics.names());
    }
    linesByRoleAndKey.get(role).computeIfAbsent(key, k -> new ArrayList<>())
        .add(line(role, topic, value, timestamp, headers));
  }

  private String line(String role, String topic, byte[] value, long timestamp, Headers headers) {
    String time = "t=" + Instant.ofEpochMilli(timestamp) + " ";
    return switch (role) {
      case NAV -> time + topics.navUpdates().valueSerde().deserializer().deserialize(topic, value);
      case INSTRUCTIONS -> time
          + topics.rebalanceInstructions().valueSerde().deserializer().deserialize(topic, value);
      case STATE -> time + topics.fundState().valueSerde().deserializer().deserialize(topic, value);
      default -> time + "reason=" + header(headers, DeadLetters.REASON) + " source="
          + header(headers, DeadLetters.SOURCE_TOPIC) + " " + rejected(headers, value);
    };
  }

  private Object rejected(Headers headers, byte[] value) {
    String source = header(headers, DeadLetters.SOURCE_TOPIC);
    if (value == null) {
      return "(no value)";
    }
    TopicNames names = topics.names();
    if (names.prices().equals(source)) {
      return topics.prices().valueSerde().deserializer().deserialize(source, value);
    }
    if (names.fundDefinitions().equals(source)) {
      return topics.fundDefinitions().valueSerde().deserializer().deserialize(source, value);
    }
    if (names.fundingRates().equals(source)) {
      return topics.fundingRates().valueSerde().deserializer().deserialize(source, value);
    }
    return value.length + " bytes";
  }

  static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Lines of one role, per key. */
  Map<String, List<String>> byKey(String role) {
    return linesByRoleAndKey.get(role);
  }

  int count(String role) {
    return linesByRoleAndKey.get(role).values().stream().mapToInt(List::size).sum();
  }

  int total() {
    return ROLES.stream().mapToInt(this::count).sum();
  }

  /** Record counts per role. */
  Map<String, Integer> counts() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    ROLES.forEach(role -> counts.put(role, count(role)));
    return counts;
  }

  /**
   * Every difference from {@code expected}, one line each (capped per key so a shifted series
   * stays readable); empty when both hold the same records per role and key, in the same order.
   */
  List<String> differencesFrom(RunOutputs expected) {
    List<String> differences = new ArrayList<>();
    for (String role : ROLES) {
      Map<String, List<String>> mine = byKey(role);
      Map<String, List<String>> theirs = expected.byKey(role);
      Set<String> keys = new TreeSet<>(mine.keySet());
      keys.addAll(theirs.keySet());
      for (String key : keys) {
        List<String> actual = mine.getOrDefault(key, List.of());
        List<String> wanted = theirs.getOrDefault(key, List.of());
        int shown = 0;
        for (int i = 0; i < Math.max(actual.size(), wanted.size()); i++) {
          String a = i < actual.size() ? actual.get(i) : "(missing)";
          String w = i < wanted.size() ? wanted.get(i) : "(none expected)";
          if (!a.equals(w)) {
            if (shown++ < 3) {
              differences.add(role + " " + key + " #" + i + ":\n  expected " + w + "\n  actual   " + a);
            } else {
              differences.add(role + " " + key + " #" + i + " differs too");
            }
          }
        }
      }
    }
    return differences;
  }
}
