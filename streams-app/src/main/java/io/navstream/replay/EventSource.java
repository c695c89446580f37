package io.navstream.replay;

import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/** A stream of input events in file order, with one event of look-ahead. */
interface EventSource extends Closeable {

  /** The next event without consuming it, or null at the end. */
  ReplayEvent peek() throws IOException;

  /** Consumes and returns the next event, or null at the end. */
  ReplayEvent poll() throws IOException;

  @Override
  default void close() throws IOException {}

  static EventSource of(List<ReplayEvent> events) {
    Iterator<ReplayEvent> it = events.iterator();
    return new EventSource() {
      private ReplayEvent head = it.hasNext() ? it.next() : null;

      @Override
      public ReplayEvent peek() {
        return head;
      }

      @Override
      public ReplayEvent poll() {
        ReplayEvent e = head;
        head = it.hasNext() ? it.next() : null;
        return e;
      }
    };
  }

  static EventSource empty() {
    return of(List.of());
  }
}
