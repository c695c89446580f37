package io.navstream.bench;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** Progress of the bench's long steps (pre-loading, draining) as a bar on stderr, or nothing. */
interface BenchProgress {
  /** One step; {@link Step#to} moves it, closing it ends it. */
  interface Step extends AutoCloseable, java.util.function.LongConsumer {
    void to(long done);

    @Override
    default void accept(long done) {
      to(done);
    }

    @Override
    void close();
  }

  Step step(String task, long total, String unit);

  BenchProgress NONE = (task, total, unit) -> new Step() {
    @Override
    public void to(long done) {}

    @Override
    public void close() {}
  };

  /** Bars redrawn in place on {@code err}, a terminal. */
  static BenchProgress bar(PrintStream err) {
    return (task, total, unit) -> {
      ProgressBar bar = new ProgressBarBuilder()
          .setTaskName(task)
          .setInitialMax(Math.max(1, total))
          .setUnit(" " + unit, 1)
          .showSpeed()
          .setUpdateIntervalMillis(500)
          .setConsumer(new ConsoleProgressBarConsumer(err, 100))
          .build();
      return new Step() {
        @Override
        public void to(long done) {
          bar.stepTo(Math.min(done, bar.getMax()));
        }

        @Override
        public void close() {
          bar.close();
        }
      };
    };
  }
}
