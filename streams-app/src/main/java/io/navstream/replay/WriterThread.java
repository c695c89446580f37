package io.navstream.replay;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Runs writes on a thread of its own, one at a time and exactly in the order they were submitted,
 * so that decoding and formatting the outputs overlaps with the driver's processing (the second
 * core) without changing a byte of them.
 *
 * <p>Writes are handed over in batches, to keep the cost of crossing threads off each record, and
 * through a bounded queue: when the writer falls behind, {@link #submit} blocks, so memory stays
 * bounded whatever the input size.
 *
 * <p>The first write that fails stops all writing (later ones are discarded, so the submitting
 * thread never waits on a writer that has given up); the failure is rethrown to the submitting
 * thread, once, by the next {@link #submit} that hands a batch over, or by {@link #close}.
 *
 * <p>One thread submits and closes; it must call {@link #close} whatever happens, which writes what
 * was submitted before returning.
 */
final class WriterThread implements Closeable {
  /** One write, run on the writer thread. */
  interface Write {
    void run() throws IOException;
  }

  static final int DEFAULT_BATCH_SIZE = 2048;
  static final int DEFAULT_QUEUED_BATCHES = 16;

  /** Tells the writer thread that nothing more will come. */
  private static final List<Write> END = List.of();

  private final int batchSize;
  private final BlockingQueue<List<Write>> queue;
  private final Thread thread;
  /** Written by the writer thread, read by the submitting one. */
  private volatile Throwable failure;
  private boolean failureReported;
  private List<Write> batch;
  private boolean closed;

  WriterThread(String name) {
    this(name, DEFAULT_BATCH_SIZE, DEFAULT_QUEUED_BATCHES);
  }

  /**
   * @param batchSize writes per hand-over
   * @param queuedBatches batches that may wait for the writer before {@link #submit} blocks
   */
  WriterThread(String name, int batchSize, int queuedBatches) {
    if (batchSize < 1 || queuedBatches < 1) {
      throw new IllegalArgumentException("batchSize and queuedBatches must be positive");
    }
    this.batchSize = batchSize;
    this.queue = new ArrayBlockingQueue<>(queuedBatches);
    this.batch = new ArrayList<>(batchSize);
    this.thread = new Thread(this::loop, name);
    // Never keeps the JVM alive: close() is what waits for it.
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a write; it runs after every write submitted before it.
   *
   * @throws IOException (or the unchecked exception) of an earlier write that failed
   */
  void submit(Write write) throws IOException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    batch.add(write);
    if (batch.size() >= batchSize) {
      handOver();
    }
  }

  /**
   * Waits until every write submitted has run, then stops the thread. Idempotent.
   *
   * @throws IOException (or the unchecked exception) of the first write that failed
   */
  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      try {
        if (!batch.isEmpty()) {
          put(batch);
        }
        put(END);
        thread.join();
      } catch (InterruptedException e) {
        thread.interrupt(); // stop writing; the caller is giving up too
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the output writer");
      } finally {
        batch = List.of();
      }
    }
    rethrowFailure();
  }

  private void handOver() throws IOException {
    rethrowFailure();
    try {
      put(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while handing outputs to the writer");
    }
    batch = new ArrayList<>(batchSize);
  }

  private void put(List<Write> writes) throws InterruptedException {
    queue.put(writes);
  }

  private void loop() {
    try {
      List<Write> writes;
      while ((writes = queue.take()) != END) {
        if (failure != null) {
          continue; // discard: keeps the queue moving so that the submitter never blocks for good
        }
        for (Write write : writes) {
          try {
            write.run();
          } catch (Throwable t) { // Errors too: whatever stops the writer must reach the driver
            failure = t;
            break;
          }
        }
      }
    } catch (InterruptedException e) {
      // close() was interrupted and has given up; nothing waits for the rest.
    }
  }

  private void rethrowFailure() throws IOException {
    Throwable t = failure;
    if (t == null || failureReported) {
      return;
    }
    failureReported = true;
    Closing.rethrow(t, "output writer");
  }
}
