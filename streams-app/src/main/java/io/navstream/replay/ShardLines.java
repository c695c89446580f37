package io.navstream.replay;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A shard's output lines since its last hand-over, in memory: the bytes of each output file, and
 * for every line the index of the input that produced it, so that {@link ShardMerger} can put the
 * lines of all shards back in the single driver's order. Written by one shard's thread.
 */
final class ShardLines implements ReplayOutputs.Sink {
  /** One per output file, in {@link ReplayOutputs#FILES} order. */
  static final int FILES = ReplayOutputs.FILES.size();

  /**
   * Lines handed over: line {@code k} is {@code length[k]} bytes of file {@code file[k]}, produced
   * by input {@code input[k]}; each file's lines follow one another in {@code bytes}. Every input
   * up to {@code through} has been processed. A failed shard hands over the lines it completed
   * and its {@code failure}.
   */
  record Chunk(int lines, long[] input, byte[] file, int[] length, byte[][] bytes, long through,
      Throwable failure) {
    static Chunk empty(long through, Throwable failure) {
      return new Chunk(0, new long[0], new byte[0], new int[0], new byte[FILES][0], through, failure);
    }
  }

  private final ByteSink[] sinks = new ByteSink[FILES];
  private final List<JsonLines> jsonLines = new ArrayList<>(FILES);
  private final int[] flushed = new int[FILES];
  private long currentInput = -1;
  private int lines;
  private long[] input = new long[1024];
  private byte[] file = new byte[1024];
  private int[] length = new int[1024];

  ShardLines() throws IOException {
    for (int f = 0; f < FILES; f++) {
      sinks[f] = new ByteSink();
      jsonLines.add(new JsonLines(sinks[f]));
    }
  }

  /** The lines to write into, in {@link ReplayOutputs#inline}'s order. */
  List<JsonLines> lines() {
    return jsonLines;
  }

  /** Lines written from now on come from input {@code index}. */
  void input(long index) {
    currentInput = index;
  }

  @Override
  public void submit(JsonLines target, WriterThread.Write write) throws IOException {
    write.run();
    target.flush();
    int f = jsonLines.indexOf(target);
    int size = sinks[f].size;
    if (lines == input.length) {
      input = Arrays.copyOf(input, lines * 2);
      file = Arrays.copyOf(file, lines * 2);
      length = Arrays.copyOf(length, lines * 2);
    }
    input[lines] = currentInput;
    file[lines] = (byte) f;
    length[lines] = size - flushed[f];
    lines++;
    flushed[f] = size;
  }

  /** The lines so far, which are then forgotten. */
  Chunk take(long through, Throwable failure) {
    byte[][] bytes = new byte[FILES][];
    for (int f = 0; f < FILES; f++) {
      bytes[f] = Arrays.copyOf(sinks[f].buffer, sinks[f].size);
      sinks[f].size = 0;
      flushed[f] = 0;
    }
    Chunk chunk = new Chunk(lines, Arrays.copyOf(input, lines), Arrays.copyOf(file, lines),
        Arrays.copyOf(length, lines), bytes, through, failure);
    lines = 0;
    return chunk;
  }

  /** A growable byte buffer without ByteArrayOutputStream's locking. */
  private static final class ByteSink extends OutputStream {
    private byte[] buffer = new byte[1 << 16];
    private int size;

    @Override
    public void write(int b) {
      ensure(1);
      buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buffer, size, len);
      size += len;
    }

    private void ensure(int more) {
      if (size + more > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
      }
    }
  }
}
