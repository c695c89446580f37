package io.navstream.replay;

import java.io.PrintWriter;

/** Progress of a replay, in price ticks read. Called from the replay's thread only. */
public interface ReplayProgress extends AutoCloseable {

  /** No feedback. */
  ReplayProgress NONE =
      new ReplayProgress() {
        @Override
        public void start(long estimatedTicks) {}

        @Override
        public void update(long ticks) {}

        @Override
        public void close() {}
      };

  /** The replay starts; {@code estimatedTicks} is a guess from the prices file's size. */
  void start(long estimatedTicks);

  /** {@code ticks} price rows have been read so far. */
  void update(long ticks);

  /** The replay has ended, well or not. */
  @Override
  void close();

  /** A terminal progress bar written to {@code err}. */
  static ReplayProgress bar(PrintWriter err) {
    return new ProgressBarProgress(err);
  }
}
