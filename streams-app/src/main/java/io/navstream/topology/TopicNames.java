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
    String navCandles,
    String fundFlows,
    String flowResults,
    String corporateActions,
    String tokenPrices,
    String premiumDiscount) {

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
    Objects.requireNonNull(fundFlows, "fundFlows");
    Objects.requireNonNull(flowResults, "flowResults");
    Objects.requireNonNull(corporateActions, "corporateActions");
    Objects.requireNonNull(tokenPrices, "tokenPrices");
    Objects.requireNonNull(premiumDiscount, "premiumDiscount");
  }

  /** The core and operator topics, with the default names for the fund-lifecycle topics. */
  public TopicNames(String prices, String fundDefinitions, String fundingRates, String navUpdates,
      String rebalanceInstructions, String fundState, String deadLetter, String fundCommands,
      String navCandles) {
    this(prices, fundDefinitions, fundingRates, navUpdates, rebalanceInstructions, fundState, deadLetter,
        fundCommands, navCandles, "fund-flows", "flow-results", "corporate-actions", "token-prices",
        "premium-discount");
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
        "nav-candles",
        "fund-flows",
        "flow-results",
        "corporate-actions",
        "token-prices",
        "premium-discount");
  }

  /**
   * A separate set of topics, each named {@code prefix} + its role ({@code prices}, {@code
   * dead-letter}, ... as {@link #inputs} and {@link #outputs} key them): runs of the bench or
   * tests that share a cluster never see each other's records.
   */
  public static TopicNames prefixed(String prefix) {
    return new TopicNames(prefix + "prices", prefix + "fund-definitions", prefix + "funding-rates",
        prefix + "nav-updates", prefix + "rebalance-instructions", prefix + "fund-state",
        prefix + "dead-letter", prefix + "fund-commands", prefix + "nav-candles",
        prefix + "fund-flows", prefix + "flow-results", prefix + "corporate-actions",
        prefix + "token-prices", prefix + "premium-discount");
  }

  /** Input topics, keyed by role. */
  public Map<String, String> inputs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("prices", prices);
    m.put("fund-definitions", fundDefinitions);
    m.put("funding-rates", fundingRates);
    m.put("fund-commands", fundCommands);
    m.put("fund-flows", fundFlows);
    m.put("token-prices", tokenPrices);
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
    m.put("flow-results", flowResults);
    m.put("corporate-actions", corporateActions);
    m.put("premium-discount", premiumDiscount);
    return m;
  }

  /** Topics whose records are the latest value per key, so Kafka should compact them. */
  public boolean isCompacted(String topic) {
    return topic.equals(fundDefinitions) || topic.equals(fundState);
  }
}
