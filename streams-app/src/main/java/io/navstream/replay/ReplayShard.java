package io.navstream.replay;

import io.navstream.serde.SchemaRegistry;
import io.navstream.topology.Topics;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * One shard of a sharded replay: its own {@link TopologyTestDriver} over its own copy of the
 * topology, fed the inputs of its funds and underlyings, in order, on its own thread. Each input is
 * piped with the offset it has in the single driver ({@link InputOffsets}) and the wall clock
 * advanced to its time, as {@link ReplayDriver} does; the outputs are rendered to JSON lines here,
 * tagged with the input's index, and handed to {@link ShardMerger} after every batch.
 */
final class ReplayShard implements Runnable {
  /** Inputs for one shard, in input order. */
  static final class Batch {
    final ReplayEvent[] events;
    final long[] index;
    final long[] offset;
    int size;

    Batch(int capacity) {
      events = new ReplayEvent[capacity];
      index = new long[capacity];
      offset = new long[capacity];
    }

    void add(ReplayEvent e, long inputIndex, long topicOffset) {
      events[size] = e;
      index[size] = inputIndex;
      offset[size] = topicOffset;
      size++;
    }
  }

  /** Tells a shard that no more input will come. */
  static final Batch END = new Batch(0);

  private final Topology topology;
  private final Topics topics;
  private final SchemaRegistry registry;
  private final Properties config;
  private final long startTime;
  private final ShardedReplay.Handoff handoff;
  private final BlockingQueue<Batch> inputs;
  private final BlockingQueue<ShardLines.Chunk> outputs;
  private final int pipeCommitEvery;
  private volatile Map<String, Long> otherTopics = Map.of();

  ReplayShard(Topology topology, Topics topics, SchemaRegistry registry, Properties config,
      long startTime, ShardedReplay.Handoff handoff, BlockingQueue<Batch> inputs,
      BlockingQueue<ShardLines.Chunk> outputs, int pipeCommitEvery) {
    this.topology = topology;
    this.topics = topics;
    this.registry = registry;
    this.config = config;
    this.startTime = startTime;
    this.handoff = handoff;
    this.inputs = inputs;
    this.outputs = outputs;
    this.pipeCommitEvery = pipeCommitEvery;
  }

  /** Records drained from topics without a file, once the shard has finished. */
  Map<String, Long> otherTopics() {
    return otherTopics;
  }

  @Override
  public void run() {
    long through = -1;
    ShardLines lines = null;
    try (TopologyTestDriver driver =
        new TopologyTestDriver(topology, config, Instant.ofEpochMilli(startTime))) {
      lines = new ShardLines();
      ReplayOutputs drained = ReplayOutputs.inline(driver, topics, lines.lines(),
          new DeadLetterValues(registry), lines);
      DriverInputs driverInputs = new DriverInputs(driver, topics, new InputOffsets(driver), pipeCommitEvery);
      DriverClock wallClock = new DriverClock(driver, startTime);
      Batch batch;
      while ((batch = handoff.take(inputs)) != END) {
        if (batch == null) {
          return; // aborted: this shard's lines stop where they are
        }
        for (int k = 0; k < batch.size; k++) {
          ReplayEvent e = batch.events[k];
          wallClock.advanceTo(e.timestamp());
          lines.input(batch.index[k]);
          driverInputs.pipe(e, batch.offset[k]);
          drained.drain();
          through = batch.index[k];
        }
        handoff.put(outputs, lines.take(through, null));
      }
      drained.close();
      otherTopics = drained.otherTopics();
      handoff.put(outputs, lines.take(Long.MAX_VALUE, null));
    } catch (Throwable t) { // whatever stops a shard must reach the driver
      // The lines before the failure first, so that the files hold every output before it.
      handoff.put(outputs, lines == null
          ? ShardLines.Chunk.empty(through, t)
          : lines.take(through, t));
      handoff.fail(t);
    }
  }
}
