package io.navstream.bench;

import java.util.Locale;

/**
 * Scenario 1: pipeline throughput on the in-process broker, navstream against a pass-through
 * Kafka Streams app with the same serdes, partitions, guarantee and F output records per tick.
 */
final class PipelineBench {
  static final String NAME = "pipeline";

  private PipelineBench() {}

  static void run(BenchContext ctx) {
    BenchSettings s = ctx.settings();
    Workload workload = new Workload(s.underlyings(), s.funds(), 100);
    ctx.results().note(String.format(Locale.ROOT, "pipeline: %,d pre-loaded ticks, %d underlyings x %d"
            + " funds, %d partitions, 1 stream thread, real navstream configuration (commit.interval.ms"
            + " left at Kafka's default: 100 ms under EOS, 30 s under ALOS)", s.ticks(), s.underlyings(),
        s.funds(), s.partitions()));
    for (Guarantee g : s.guarantees()) {
      String config = String.format(Locale.ROOT, "%s U=%d F=%d", g.label(), s.underlyings(), s.funds());
      for (int r = 1; r <= s.runs(); r++) {
        ctx.say("pipeline %s run %d/%d", config, r, s.runs());
        BenchApp.Run run = new BenchApp.Run(
            String.format(Locale.ROOT, "pipeline-%s-%d-", g.label(), r), g, s.partitions(), java.util.Map.of());
        Drain.Outcome o = Drain.measure(ctx, run, workload, s.ticks(), Drain.StateProbe.NONE);
        ctx.results().add(NAME, config, "navstream", "ticks/s", r, o.navstreamTicksPerSecond());
        ctx.results().add(NAME, config, "pass-through", "ticks/s", r, o.passThroughTicksPerSecond());
        ctx.results().add(NAME, config, "navstream / pass-through", "ratio", r, o.ratio());
        ctx.results().add(NAME, config, "navstream NAV updates", "records/s", r,
            o.navstreamTicksPerSecond() * s.funds());
        ctx.checkpoint();
      }
    }
  }
}
