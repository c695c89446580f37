package io.navstream.bench;

import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundState;
import io.navstream.fund.Fund;
import io.navstream.fund.FundBook;
import io.navstream.fund.FundSpec;
import io.navstream.topology.StoreNames;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Scenario 4: throughput as funds per underlying grow (at the default underlyings) and as
 * underlyings grow (at the default funds per underlying), under exactly-once, each against its
 * pass-through; and the cost of a fund: its fund-books store bytes and its heap.
 */
final class ScalingBench {
  static final String NAME = "scaling";

  private ScalingBench() {}

  static void run(BenchContext ctx) {
    BenchSettings s = ctx.settings();
    ctx.results().note(String.format(Locale.ROOT, "scaling: exactly-once; ticks per configuration ="
            + " min(%,d, %,d / funds per underlying) so that each makes about the same number of NAV"
            + " updates; funds per underlying %s at %d underlyings, underlyings %s at %d funds each",
        s.scalingMaxTicks(), s.scalingNavBudget(), s.scalingFunds(), s.underlyings(),
        s.scalingUnderlyings(), s.funds()));
    ctx.results().note("scaling: store bytes per fund = serialized key + FundState value of every"
        + " fund-books entry (read through interactive queries after the drain) / funds; RocksDB"
        + " SST bytes per fund = size of the fund-books SST files after a clean close / funds;"
        + " heap per fund = used heap after GC with 20,000 funds' FundBooks (incepted by one price) held,"
        + " minus before, / funds (domain objects only, no Kafka Streams caches)");
    List<int[]> configs = new ArrayList<>();
    s.scalingFunds().forEach(f -> configs.add(new int[] {s.underlyings(), f}));
    s.scalingUnderlyings().stream().filter(u -> !s.scalingFunds().contains(s.funds()) || u != s.underlyings())
        .forEach(u -> configs.add(new int[] {u, s.funds()}));
    for (int[] c : configs) {
      int u = c[0];
      int f = c[1];
      Workload workload = new Workload(u, f, 100);
      long ticks = s.scalingTicks(f);
      String config = String.format(Locale.ROOT, "U=%d F=%d (%,d ticks)", u, f, ticks);
      for (int r = 1; r <= s.runs(); r++) {
        ctx.say("scaling %s run %d/%d", config, r, s.runs());
        BenchApp.Run run = new BenchApp.Run(String.format(Locale.ROOT, "scaling-%d-%d-%d-", u, f, r),
            Guarantee.EOS, s.partitions(), Map.of());
        StoreSizes sizes = new StoreSizes(ctx.kafka().avro().forValues(FundState.class).serializer());
        Drain.Outcome o = Drain.measure(ctx, run, workload, ticks, sizes);
        int funds = workload.funds();
        ctx.results().add(NAME, config, "navstream", "ticks/s", r, o.navstreamTicksPerSecond());
        ctx.results().add(NAME, config, "navstream NAV updates", "records/s", r,
            o.navstreamTicksPerSecond() * f);
        ctx.results().add(NAME, config, "pass-through", "ticks/s", r, o.passThroughTicksPerSecond());
        ctx.results().add(NAME, config, "navstream / pass-through", "ratio", r, o.ratio());
        ctx.results().add(NAME, config, "store bytes per fund", "bytes", r,
            (double) sizes.storeBytes / funds);
        ctx.results().add(NAME, config, "RocksDB SST bytes per fund", "bytes", r,
            (double) sizes.rocksDbBytes / funds);
        ctx.results().add(NAME, config, "heap per fund", "bytes", r, heapBytesPerFund(f));
        ctx.checkpoint();
      }
    }
  }

  /** The fund-books store's size, in serialized bytes and on disk. */
  private static final class StoreSizes implements Drain.StateProbe {
    private final Serializer<FundState> values;
    long storeBytes;
    long rocksDbBytes;

    StoreSizes(Serializer<FundState> values) {
      this.values = values;
    }

    @Override
    public void drained(BenchApp navstream) {
      ReadOnlyKeyValueStore<String, FundState> store = navstream.streams().store(
          StoreQueryParameters.fromNameAndType(StoreNames.FUND_BOOKS,
              QueryableStoreTypes.keyValueStore()));
      try (KeyValueIterator<String, FundState> all = store.all()) {
        while (all.hasNext()) {
          var e = all.next();
          storeBytes += e.key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
              + values.serialize("fund-books", e.value).length;
        }
      }
    }

    @Override
    public void closed(BenchApp navstream) {
      rocksDbBytes = Drain.storeDirectoryBytes(navstream.stateDir(), StoreNames.FUND_BOOKS);
    }
  }

  /** Funds the heap is measured over: enough that GC noise is small per fund. */
  private static final int HEAP_SAMPLE_FUNDS = 20_000;

  /** Heap of a fund's domain objects, live (one price applied), over many such funds. */
  static double heapBytesPerFund(int fundsPerUnderlying) {
    List<FundDefinition> definitions =
        new Workload(HEAP_SAMPLE_FUNDS / fundsPerUnderlying, fundsPerUnderlying, 100).definitions();
    Instant at = Instant.ofEpochMilli(Workload.START_MILLIS);
    BigDecimal price = new BigDecimal("100");
    long before = usedHeapAfterGc();
    FundBook[] books = new FundBook[definitions.size()];
    for (int i = 0; i < books.length; i++) {
      FundSpec spec = FundSpec.validate(DomainLoop.draft(definitions.get(i)), at);
      books[i] = Fund.onPrice(FundBook.pending(spec, at), price, at).book();
    }
    long after = usedHeapAfterGc();
    Reference.reachabilityFence(books);
    return Math.max(0, after - before) / (double) books.length;
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      memory.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
