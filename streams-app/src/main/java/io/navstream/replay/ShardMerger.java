package io.navstream.replay;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;

/**
 * Writes the output files of a sharded replay: the shards' lines put back in the single driver's
 * order, by input index and, within one input, in the order its shard produced them. The
 * dispatcher tells it which shard each input went to ({@link Assignment}s, in input order); for
 * input {@code i} it takes that shard's lines tagged {@code i}, and knows there are no more once
 * the shard has processed past {@code i}.
 *
 * <p>When the replay is aborted it stops: the files then hold a prefix of the single driver's
 * output.
 */
final class ShardMerger implements Runnable {
  /** Inputs {@code first, first + 1, ...} went to shards {@code shard[0..size)}. */
  record Assignment(long first, int[] shard, int size) {}

  static final Assignment END = new Assignment(-1, new int[0], 0);

  private static final int BUFFER = 1 << 16;

  private final ShardedReplay.Handoff handoff;
  private final BlockingQueue<Assignment> assignments;
  private final List<BlockingQueue<ShardLines.Chunk>> shardOutputs;
  private final Cursor[] cursors;
  private final OutputStream[] files = new OutputStream[ShardLines.FILES];
  private final long[] lines = new long[ShardLines.FILES];

  /** Opens (replaces) the output files of {@code dir}. */
  ShardMerger(Path dir, ShardedReplay.Handoff handoff, BlockingQueue<Assignment> assignments,
      List<BlockingQueue<ShardLines.Chunk>> shardOutputs) throws IOException {
    this.handoff = handoff;
    this.assignments = assignments;
    this.shardOutputs = shardOutputs;
    this.cursors = new Cursor[shardOutputs.size()];
    for (int s = 0; s < cursors.length; s++) {
      cursors[s] = new Cursor();
    }
    try {
      for (int f = 0; f < files.length; f++) {
        files[f] = new BufferedOutputStream(
            Files.newOutputStream(dir.resolve(ReplayOutputs.FILES.get(f))), BUFFER);
      }
    } catch (IOException | RuntimeException e) {
      close(e);
      throw e;
    }
  }

  /** Lines written to each file, in {@link ReplayOutputs#FILES} order; final after {@link #run}. */
  List<Long> lines() {
    return Arrays.stream(lines).boxed().toList();
  }

  @Override
  public void run() {
    Throwable failure = null;
    try {
      merge();
    } catch (Throwable t) {
      failure = t;
      handoff.fail(t);
    } finally {
      close(failure);
    }
  }

  private void merge() throws IOException {
    Assignment assignment;
    while ((assignment = handoff.take(assignments)) != END && assignment != null) {
      for (int k = 0; k < assignment.size(); k++) {
        if (!writeLinesOf(assignment.first() + k, assignment.shard()[k])) {
          return;
        }
      }
    }
  }

  /** Writes the lines of input {@code i}; false when the replay was aborted first. */
  private boolean writeLinesOf(long i, int shard) throws IOException {
    Cursor c = cursors[shard];
    while (true) {
      ShardLines.Chunk chunk = c.chunk;
      if (c.line < chunk.lines()) {
        if (chunk.input()[c.line] != i) {
          return true; // a later input's line
        }
        int f = chunk.file()[c.line];
        int length = chunk.length()[c.line];
        files[f].write(chunk.bytes()[f], c.offset[f], length);
        c.offset[f] += length;
        lines[f]++;
        c.line++;
      } else if (chunk.through() >= i) {
        return true;
      } else if (chunk.failure() != null) {
        return false;
      } else {
        ShardLines.Chunk next = handoff.take(shardOutputs.get(shard));
        if (next == null) {
          return false;
        }
        c.reset(next);
      }
    }
  }

  private void close(Throwable pending) {
    for (OutputStream file : files) {
      if (file == null) {
        continue;
      }
      try {
        file.close();
      } catch (IOException e) {
        if (pending == null) {
          pending = e;
          handoff.fail(e);
        } else {
          pending.addSuppressed(e);
        }
      }
    }
  }

  /** Where the merger is in one shard's lines. */
  private static final class Cursor {
    private ShardLines.Chunk chunk = ShardLines.Chunk.empty(-1, null);
    private int line;
    private final int[] offset = new int[ShardLines.FILES];

    void reset(ShardLines.Chunk next) {
      chunk = next;
      line = 0;
      Arrays.fill(offset, 0);
    }
  }
}
