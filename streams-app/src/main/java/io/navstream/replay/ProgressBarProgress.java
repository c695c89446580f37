package io.navstream.replay;

import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;

/** {@link ReplayProgress} as a me.tongfei progress bar redrawn in place on a writer. */
final class ProgressBarProgress implements ReplayProgress {
  private static final int WIDTH = 100;

  private final PrintWriter err;
  private ProgressBar bar;

  ProgressBarProgress(PrintWriter err) {
    this.err = err;
  }

  @Override
  public void start(long estimatedTicks) {
    bar =
        new ProgressBarBuilder()
            .setTaskName("replay")
            .setInitialMax(Math.max(1, estimatedTicks))
            .setUnit(" ticks", 1)
            .showSpeed()
            .setUpdateIntervalMillis(500)
            .setConsumer(new WriterConsumer(err))
            .build();
  }

  @Override
  public void update(long ticks) {
    if (bar == null) {
      return;
    }
    if (ticks > bar.getMax()) {
      bar.maxHint(ticks + ticks / 10); // the size-based estimate was low
    }
    bar.stepTo(ticks);
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.maxHint(bar.getCurrent()); // ends at 100% whatever the estimate was
      bar.close();
      bar = null;
    }
  }

  /** Redraws the bar on one line of the writer. */
  private record WriterConsumer(PrintWriter out) implements ProgressBarConsumer {
    @Override
    public int getMaxRenderedLength() {
      return WIDTH;
    }

    @Override
    public void accept(String rendered) {
      out.print('\r');
      out.print(rendered);
      out.flush();
    }

    @Override
    public void close() {
      out.println();
      out.flush();
    }
  }
}
