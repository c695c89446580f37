package io.navstream.replay;

import java.io.IOException;
import java.util.List;

/**
 * Merges event sources by timestamp without reordering any source: it always takes the head with
 * the smallest timestamp, and at equal timestamps the head of the source listed first. A late row
 * (one older than its predecessor in the same file) therefore stays after its predecessor and is
 * taken as soon as it becomes a head, exactly as a live topic would deliver it.
 */
final class StableMerge implements EventSource {
  private final EventSource[] sources;

  /**
   * @param sourcesInTieOrder sources, the one that wins ties first
   */
  StableMerge(List<EventSource> sourcesInTieOrder) {
    this.sources = sourcesInTieOrder.toArray(EventSource[]::new);
  }

  @Override
  public ReplayEvent peek() throws IOException {
    EventSource source = next();
    return source == null ? null : source.peek();
  }

  @Override
  public ReplayEvent poll() throws IOException {
    EventSource source = next();
    return source == null ? null : source.poll();
  }

  private EventSource next() throws IOException {
    EventSource best = null;
    long bestTimestamp = Long.MAX_VALUE;
    for (EventSource source : sources) {
      ReplayEvent head = source.peek();
      // Strictly smaller: a tie keeps the earlier source.
      if (head != null && (best == null || head.timestamp() < bestTimestamp)) {
        best = source;
        bestTimestamp = head.timestamp();
      }
    }
    return best;
  }

  @Override
  public void close() throws IOException {
    Closing.closeAll(java.util.Arrays.asList(sources));
  }
}
