package io.navstream.replay;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay did.
 *
 * @param definitionsIn records piped to the fund-definitions topic, retirements included
 * @param retirementsIn of which retirements (tombstones)
 * @param pricesIn price ticks piped
 * @param fundingIn funding rates piped
 * @param commandsIn operator commands piped
 * @param badRows input rows and fund entries skipped
 * @param navUpdatesOut lines of nav-updates.jsonl
 * @param rebalanceInstructionsOut lines of rebalance-instructions.jsonl
 * @param fundStatesOut lines of fund-state.jsonl
 * @param deadLettersOut lines of dead-letter.jsonl: records the topology rejected
 * @param otherTopicsOut records drained from topics without a file (repartition topics...), by
 *     topic
 * @param notDelivered parsed inputs not piped because the topology reads no such topic
 * @param elapsed wall time of the whole replay, parsing and writing included
 * @param flowsIn fund flows piped
 * @param tokenPricesIn token market prices piped
 * @param flowResultsOut lines of flow-results.jsonl
 * @param corporateActionsOut lines of corporate-actions.jsonl
 * @param premiumDiscountOut lines of premium-discount.jsonl
 */
public record ReplayResult(
    long definitionsIn,
    long retirementsIn,
    long pricesIn,
    long fundingIn,
    long commandsIn,
    long badRows,
    long navUpdatesOut,
    long rebalanceInstructionsOut,
    long fundStatesOut,
    long deadLettersOut,
    Map<String, Long> otherTopicsOut,
    long notDelivered,
    Duration elapsed,
    long flowsIn,
    long tokenPricesIn,
    long flowResultsOut,
    long corporateActionsOut,
    long premiumDiscountOut) {

  public ReplayResult {
    otherTopicsOut = Map.copyOf(otherTopicsOut);
  }

  /** Everything that did not make it: bad input rows plus dead letters. */
  public long rejected() {
    return badRows + deadLettersOut;
  }

  /** Price ticks per second of elapsed time. */
  public double ticksPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds > 0 ? pricesIn / seconds : 0;
  }

  /** A few human lines for the end of a run. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "replay finished in %.3f s%n", elapsed.toNanos() / 1e9));
    s.append(
        String.format(
            Locale.ROOT,
            "  in:       %d fund definitions (%d retirements), %d prices, %d funding rates%s%n",
            definitionsIn,
            retirementsIn,
            pricesIn,
            fundingIn,
            commandsIn > 0 ? ", " + commandsIn + " operator commands" : ""));
    s.append(
        String.format(
            Locale.ROOT,
            "  out:      %d nav updates, %d rebalance instructions, %d fund states, %d dead"
                + " letters%n",
            navUpdatesOut,
            rebalanceInstructionsOut,
            fundStatesOut,
            deadLettersOut));
    if (flowsIn + tokenPricesIn + flowResultsOut + corporateActionsOut + premiumDiscountOut > 0) {
      s.append(
          String.format(
              Locale.ROOT,
              "  lifecycle: %d flows in, %d flow results; %d corporate actions; %d token prices in,"
                  + " %d premium/discount%n",
              flowsIn,
              flowResultsOut,
              corporateActionsOut,
              tokenPricesIn,
              premiumDiscountOut));
    }
    if (!otherTopicsOut.isEmpty()) {
      s.append("  internal: ");
      s.append(
          String.join(
              ", ",
              new TreeMap<>(otherTopicsOut).entrySet().stream()
                  .map(e -> e.getKey() + " " + e.getValue())
                  .toList()));
      s.append(String.format("%n"));
    }
    s.append(
        String.format(
            Locale.ROOT,
            "  rejected: %d (%d bad input rows, %d dead letters)%n",
            rejected(),
            badRows,
            deadLettersOut));
    if (notDelivered > 0) {
      s.append(
          String.format(
              Locale.ROOT, "  not delivered (topology reads no such topic): %d%n", notDelivered));
    }
    s.append(String.format(Locale.ROOT, "  speed:    %.0f ticks/s%n", ticksPerSecond()));
    return s.toString();
  }
}
