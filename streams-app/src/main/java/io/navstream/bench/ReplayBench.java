package io.navstream.bench;

import io.navstream.replay.ReplayDriver;
import io.navstream.replay.ReplayProgress;
import io.navstream.replay.ReplayResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Scenario 3: the replay command's speed on a generated file against the bare domain loop over the
 * same ticks, alternating in each run. Replay's figure is its whole run as the command does it
 * (parse the CSV, pipe through the topology, write the JSON lines); the loop's is the loop alone.
 */
final class ReplayBench {
  static final String NAME = "replay";

  private ReplayBench() {}

  static void run(BenchContext ctx) {
    BenchSettings s = ctx.settings();
    Workload workload = new Workload(s.underlyings(), s.funds(), 100);
    Path input = ctx.workDir().resolve("replay-input");
    String config = String.format(Locale.ROOT, "U=%d F=%d %,d ticks", s.underlyings(), s.funds(),
        s.replayTicks());
    try {
      ctx.say("replay: writing %,d ticks to %s", s.replayTicks(), input);
      workload.writeReplayInput(input, s.replayTicks(), s.seed());
      DomainLoop.Input parsed = DomainLoop.load(input);
      ctx.results().note(String.format(Locale.ROOT, "replay: funds.json + prices.csv of %,d ticks,"
          + " %d underlyings x %d funds; replay = ReplayDriver as `navstream replay` runs it (its"
          + " elapsed time: parsing, topology, JSON writing); loop = DomainLoop over the same ticks,"
          + " parsed beforehand", s.replayTicks(), s.underlyings(), s.funds()));
      for (int r = 1; r <= s.runs(); r++) {
        ctx.say("replay %s run %d/%d", config, r, s.runs());
        Path out = ctx.workDir().resolve("replay-out-" + r);
        StringWriter diagnostics = new StringWriter();
        ReplayResult result = ReplayDriver.builder()
            .funds(input.resolve("funds.json"))
            .prices(input.resolve("prices.csv"))
            .outputDirectory(out)
            .diagnostics(new PrintWriter(diagnostics))
            .progress(ReplayProgress.NONE)
            .build()
            .run();
        if (result.pricesIn() != parsed.ticks() || result.rejected() != 0) {
          throw new IllegalStateException("the replay did not take every tick: " + result.summary()
              + diagnostics);
        }
        BenchKafka.deleteRecursively(out);
        double replayTps = result.ticksPerSecond();
        DomainLoop.Pass pass = DomainLoop.run(parsed);
        double loopTps = pass.ticksPerSecond(parsed.ticks());
        ctx.say("  replay %,.0f ticks/s (%,d NAV updates); loop %,.0f ticks/s (%,d NAV updates,"
                + " check %08x)", replayTps, result.navUpdatesOut(), loopTps, pass.navUpdates(),
            pass.check());
        ctx.results().add(NAME, config, "replay", "ticks/s", r, replayTps);
        ctx.results().add(NAME, config, "bare domain loop", "ticks/s", r, loopTps);
        ctx.results().add(NAME, config, "replay / loop", "ratio", r, replayTps / loopTps);
        ctx.checkpoint();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      BenchKafka.deleteRecursively(input);
    }
  }
}
