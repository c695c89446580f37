package io.navstream.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A replay spread over several {@link ReplayShard}s, each a {@link
 * org.apache.kafka.streams.TopologyTestDriver} of its own on a thread of its own, whose outputs
 * {@link ShardMerger} puts back in exactly the single driver's order.
 *
 * <p>The calling thread reads the merged inputs, numbers them, and deals them out by {@link
 * ShardPlan} in rounds: each shard gets its inputs of the round as one batch, then the merger
 * learns which shard each input of the round went to. Queues are bounded, so memory stays flat.
 *
 * <p>Why the outputs are the single driver's: everything a fund's outputs depend on (its book, its
 * underlying's mark and watermark, its registration) lives in the shard of its group, which sees
 * that group's inputs in the same order; each input gets the offset the single driver gives it;
 * the candle store's retention, which follows the stream time of the store, never changes an
 * output (a candle is read back from it only for a fund not seen since the processor started,
 * which a replay never has written). What differs is invisible in the output files: the wall
 * clock of a shard advances only with its own inputs (the topology has no wall-clock
 * punctuation), and the offsets of the internal repartition topic, which only a PROCESSING_ERROR
 * dead letter of a definition would show.
 */
final class ShardedReplay {
  /** Inputs per round. */
  static final int ROUND = 4096;
  /** Rounds a queue holds before its writer waits. */
  private static final int QUEUED = 4;
  private static final long POLL_MS = 50;
  private static final int PROGRESS_EVERY = 1024;

  /**
   * Result of the outputs: lines per file, in {@link ReplayOutputs#FILES} order, and records of
   * topics without a file.
   */
  record Outputs(List<Long> lines, Map<String, Long> otherTopics) {
    /** Lines of {@code file}, one of {@link ReplayOutputs#FILES}. */
    long lines(String file) {
      return lines.get(ReplayOutputs.FILES.indexOf(file));
    }
  }

  /** What one shard needs besides its queues. */
  interface ShardFactory {
    ReplayShard create(int shard, Handoff handoff, BlockingQueue<ReplayShard.Batch> inputs,
        BlockingQueue<ShardLines.Chunk> outputs) throws IOException;
  }

  /**
   * Hand-overs between threads that give up as soon as any thread has failed (or the caller has
   * aborted), so that no thread waits for good on one that has stopped.
   */
  static final class Handoff {
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean aborted;

    void fail(Throwable t) {
      failure.compareAndSet(null, t);
      aborted = true;
    }

    void abort() {
      aborted = true;
    }

    boolean aborted() {
      return aborted;
    }

    Throwable failure() {
      return failure.get();
    }

    /** Puts {@code item}; false when the replay was aborted first. */
    <T> boolean put(BlockingQueue<T> queue, T item) {
      try {
        while (!queue.offer(item, POLL_MS, TimeUnit.MILLISECONDS)) {
          if (aborted) {
            return false;
          }
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
        return false;
      }
    }

    /** The next item; null when the replay was aborted first. */
    <T> T take(BlockingQueue<T> queue) {
      try {
        T item;
        while ((item = queue.poll(POLL_MS, TimeUnit.MILLISECONDS)) == null) {
          if (aborted) {
            return null;
          }
        }
        return item;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        abort();
        return null;
      }
    }
  }

  private final int shards;
  private final ShardFactory factory;
  private final Path outputDirectory;
  private final ReplayProgress progress;

  ShardedReplay(int shards, ShardFactory factory, Path outputDirectory, ReplayProgress progress) {
    this.shards = shards;
    this.factory = factory;
    this.outputDirectory = outputDirectory;
    this.progress = progress;
  }

  /** Feeds every input of {@code merge} and writes the outputs; {@code counts} counts them. */
  Outputs run(EventSource merge, ShardPlan plan, InputCounts counts) throws IOException {
    Handoff handoff = new Handoff();
    List<BlockingQueue<ReplayShard.Batch>> inputs = new ArrayList<>();
    List<BlockingQueue<ShardLines.Chunk>> outputs = new ArrayList<>();
    List<ReplayShard> workers = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    BlockingQueue<ShardMerger.Assignment> assignments = new ArrayBlockingQueue<>(QUEUED);
    ShardMerger merger = null;
    try {
      for (int s = 0; s < shards; s++) {
        inputs.add(new ArrayBlockingQueue<>(QUEUED));
        outputs.add(new ArrayBlockingQueue<>(QUEUED));
        workers.add(factory.create(s, handoff, inputs.get(s), outputs.get(s)));
      }
      merger = new ShardMerger(outputDirectory, handoff, assignments, outputs);
      for (int s = 0; s < shards; s++) {
        threads.add(start("navstream-replay-shard-" + s, workers.get(s)));
      }
      threads.add(start("navstream-replay-merger", merger));
      dispatch(merge, plan, counts, handoff, inputs, assignments);
    } catch (Throwable t) {
      handoff.fail(t);
    } finally {
      joinAll(threads, handoff);
    }
    rethrow(handoff.failure());
    Map<String, Long> other = new TreeMap<>();
    for (ReplayShard worker : workers) {
      worker.otherTopics().forEach((topic, n) -> other.merge(topic, n, Long::sum));
    }
    return new Outputs(merger.lines(), other);
  }

  private void dispatch(EventSource merge, ShardPlan plan, InputCounts counts, Handoff handoff,
      List<BlockingQueue<ReplayShard.Batch>> inputs,
      BlockingQueue<ShardMerger.Assignment> assignments) throws IOException {
    ReplayShard.Batch[] batches = newBatches();
    int[] round = new int[ROUND];
    int size = 0;
    long index = 0;
    long events = 0;
    ReplayEvent e;
    while (!handoff.aborted() && (e = merge.poll()) != null) {
      if (++events % PROGRESS_EVERY == 0) {
        progress.update(counts.prices);
      }
      long offset = counts.count(e);
      if (offset < 0) {
        continue; // the topology reads no such topic: counted, not piped
      }
      int shard = plan.shardOf(e);
      batches[shard].add(e, index, offset);
      round[size++] = shard;
      if (size == ROUND) {
        handOver(batches, new ShardMerger.Assignment(index + 1 - size, round, size), handoff,
            inputs, assignments);
        batches = newBatches();
        round = new int[ROUND];
        size = 0;
      }
      index++;
    }
    progress.update(counts.prices);
    if (size > 0) {
      handOver(batches, new ShardMerger.Assignment(index - size, round, size), handoff, inputs,
          assignments);
    }
    for (BlockingQueue<ReplayShard.Batch> queue : inputs) {
      handoff.put(queue, ReplayShard.END);
    }
    handoff.put(assignments, ShardMerger.END);
  }

  private ReplayShard.Batch[] newBatches() {
    ReplayShard.Batch[] batches = new ReplayShard.Batch[shards];
    for (int s = 0; s < shards; s++) {
      batches[s] = new ReplayShard.Batch(ROUND);
    }
    return batches;
  }

  /** Each shard's inputs first, so that the merger never waits for a shard without them. */
  private static void handOver(ReplayShard.Batch[] batches, ShardMerger.Assignment assignment,
      Handoff handoff, List<BlockingQueue<ReplayShard.Batch>> inputs,
      BlockingQueue<ShardMerger.Assignment> assignments) {
    for (int s = 0; s < batches.length; s++) {
      if (batches[s].size > 0) {
        handoff.put(inputs.get(s), batches[s]);
      }
    }
    handoff.put(assignments, assignment);
  }

  private static Thread start(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true); // join() is what waits for it
    thread.start();
    return thread;
  }

  private static void joinAll(List<Thread> threads, Handoff handoff) {
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          handoff.abort();
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void rethrow(Throwable t) throws IOException {
    Closing.rethrow(t, "a replay shard");
  }
}
