package io.navstream.topology;

import io.navstream.avro.RebalanceInstruction;
import io.navstream.avro.internal.RecentRebalances;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each fund's latest rebalance instructions, newest first, in {@code recent-rebalances}, so
 * operators can list them without reading the topic. Co-located with the fund's book.
 */
final class RecentRebalancesRecorder implements Processor<String, RebalanceInstruction, Void, Void> {
  /** Instructions kept per fund. */
  static final int KEPT = 100;

  private KeyValueStore<String, RecentRebalances> recent;

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.recent = context.getStateStore(StoreNames.RECENT_REBALANCES);
  }

  @Override
  public void process(Record<String, RebalanceInstruction> record) {
    RecentRebalances previous = recent.get(record.key());
    List<RebalanceInstruction> instructions = new ArrayList<>(KEPT);
    instructions.add(record.value());
    if (previous != null) {
      for (RebalanceInstruction i : previous.getInstructions()) {
        if (instructions.size() == KEPT) {
          break;
        }
        instructions.add(i);
      }
    }
    recent.put(record.key(), new RecentRebalances(instructions));
  }
}
