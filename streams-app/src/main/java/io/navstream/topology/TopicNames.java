package io.navstream.topology;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The names of navstream's own topics (inputs and outputs). Every name is configurable. */
public record TopicNames(
    String prices,
    String fundDefinitions,
    String fundingRates,
    String navUpdates,
    String rebalanceInstructions,
    String fundState,
    String deadLetter,
    String fundCommands,
    String navCandles) {

  public TopicNames {
    Objects.requireNonNull(prices, "prices");
    Objects.requireNonNull(fundDefinitions, "fundDefinitions");
    Objects.requireNonNull(fundingRates, "fundingRates");
    Objects.requireNonNull(navUpdates, "navUpdates");
    Objects.requireNonNull(rebalanceInstructions, "rebalanceInstructions");
    Objects.requireNonNull(fundState, "fundState");
    Objects.requireNonNull(deadLetter, "deadLetter");
    Objects.requireNonNull(fundCommands, "fundCommands");
    Objects.requireNonNull(navCandles, "navCandles");
  }

  /** The core topics, with the default names for fund-commands and nav-candles. */
  public TopicNames(String prices, String fundDefinitions, String fundingRates, String navUpdates,
      String rebalanceInstructions, String fundState, String deadLetter) {
    this(prices, fundDefinitions, fundingRates, navUpdates, rebalanceInstructions, fundState, deadLetter,
        "fund-commands", "nav-candles");
  }

  public static TopicNames defaults() {
    return new TopicNames(
        "prices",
        "fund-definitions",
        "funding-rates",
        "nav-updates",
        "rebalance-instructions",
        "fund-state",
        "navstream-dead-letter",
        "fund-commands",
        "nav-candles");
  }

  /** Input topics, keyed by role. */
  public Map<String, String> inputs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("prices", prices);
    m.put("fund-definitions", fundDefinitions);
    m.put("funding-rates", fundingRates);
    m.put("fund-commands", fundCommands);
    return m;
  }

  /** Output topics, keyed by role. */
  public Map<String, String> outputs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("nav-updates", navUpdates);
    m.put("rebalance-instructions", rebalanceInstructions);
    m.put("fund-state", fundState);
    m.put("dead-letter", deadLetter);
    m.put("nav-candles", navCandles);
    return m;
  }

  /** Topics whose records are the latest value per key, so Kafka should compact them. */
  public boolean isCompacted(String topic) {
    return topic.equals(fundDefinitions) || topic.equals(fundState);
  }
}
