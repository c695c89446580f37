package io.navstream.replay;

import io.navstream.avro.FundDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which shard of a sharded replay each input goes to. Everything a fund's book can touch must be in
 * one shard: its definitions, retirements and operator commands (keyed by fundId, routed to the
 * book by the fund-registry) and the prices and funding of its underlying (keyed by symbol). Funds
 * and underlyings are therefore grouped by union-find over every underlying that any definition of
 * a fund names, so that a fund whose later definition names another underlying (refused by the
 * book, but routed by the router's registry to the first one) keeps both in one shard. A group
 * takes a shard when first met, round-robin; an underlying that no definition names is a group of
 * its own, and so is a fund that none defines (its commands are dead-lettered as UNKNOWN_FUND
 * wherever they go). Fund flows go with their fund, like commands.
 *
 * <p>Token prices cannot be sharded: the premium join (a stream-table join with a grace period)
 * holds each token price in one buffer per task until the task's token-price stream time, which
 * every fund's token prices advance, is past the price's time plus the grace; and the NAV
 * history's retention follows every fund's NAV updates. A shard would release a fund's token
 * prices later, or never, and at another input, than one driver does; so {@link ReplayDriver}
 * replays on one driver when token prices are given.
 */
final class ShardPlan {
  private final int shards;
  /** Union-find forest over "f:" + fundId and "u:" + symbol. */
  private final Map<String, String> parent = new HashMap<>();
  private final Map<String, Integer> shardOfGroup = new HashMap<>();
  /** Fast paths: a tick's symbol, a fundId (definitions, commands, flows). */
  private final Map<String, Integer> shardOfUnderlying = new HashMap<>();
  private final Map<String, Integer> shardOfFund = new HashMap<>();
  private int nextShard;

  ShardPlan(int shards, List<ReplayEvent> definitions) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, was " + shards);
    }
    this.shards = shards;
    for (ReplayEvent e : definitions) {
      if (e.key() != null && e.value() instanceof FundDefinition d && d.getUnderlying() != null) {
        union(fund(e.key()), underlying(d.getUnderlying()));
      }
    }
  }

  int shards() {
    return shards;
  }

  /** The shard of {@code e}; a null key (rejected wherever it goes) goes to shard 0. */
  int shardOf(ReplayEvent e) {
    String key = e.key();
    if (key == null) {
      return 0;
    }
    return switch (e.kind()) {
      case DEFINITION, COMMAND, FLOW -> shardOfFund.computeIfAbsent(key, k -> shardOfGroup(fund(k)));
      case TOKEN_PRICE -> throw new IllegalArgumentException(
          "token prices are replayed on one driver, never sharded");
      case FUNDING, PRICE -> shardOfUnderlying.computeIfAbsent(key, k -> shardOfGroup(underlying(k)));
    };
  }

  private int shardOfGroup(String node) {
    return shardOfGroup.computeIfAbsent(find(node), root -> nextShard++ % shards);
  }

  private static String fund(String fundId) {
    return "f:" + fundId;
  }

  private static String underlying(String symbol) {
    return "u:" + symbol;
  }

  private String find(String node) {
    String root = node;
    String up;
    while ((up = parent.get(root)) != null) {
      root = up;
    }
    // Path compression: point every node on the way straight at the root.
    while (!node.equals(root)) {
      String next = parent.get(node);
      parent.put(node, root);
      node = next;
    }
    return root;
  }

  private void union(String a, String b) {
    String ra = find(a);
    String rb = find(b);
    if (!ra.equals(rb)) {
      parent.put(rb, ra);
    }
  }
}
