package io.navstream.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriterThreadTest {
  @Test
  void writesRunInSubmissionOrderAndAllBeforeCloseReturns() throws IOException {
    List<Integer> written = new ArrayList<>(); // only the writer thread touches it until close
    WriterThread writer = new WriterThread("test-writer", 7, 3);
    for (int i = 0; i < 10_000; i++) {
      int n = i;
      writer.submit(() -> written.add(n));
    }
    writer.close();
    assertThat(written).hasSize(10_000);
    for (int i = 0; i < written.size(); i++) {
      assertThat(written.get(i)).isEqualTo(i);
    }
  }

  @Test
  void writesNeverLagSubmissionsByMoreThanTheQueueHolds() throws IOException {
    int batch = 5;
    int queued = 2;
    AtomicLong submitted = new AtomicLong();
    AtomicLong mostBehind = new AtomicLong();
    AtomicInteger done = new AtomicInteger();
    WriterThread writer = new WriterThread("test-writer", batch, queued);
    for (int i = 0; i < 20_000; i++) {
      submitted.incrementAndGet();
      writer.submit(() -> {
        long behind = submitted.get() - done.incrementAndGet();
        mostBehind.accumulateAndGet(behind, Math::max);
      });
    }
    writer.close();
    // One batch being written, the queued ones, and the one being filled: memory stays bounded.
    assertThat(mostBehind.get()).isLessThanOrEqualTo((long) batch * (queued + 2));
    assertThat(done.get()).isEqualTo(20_000);
  }

  @Test
  void theFirstFailureReachesTheSubmitterOnceAndStopsLaterWrites() throws IOException {
    AtomicInteger ran = new AtomicInteger();
    WriterThread writer = new WriterThread("test-writer", 4, 2);
    IOException boom = new IOException("disk full");
    assertThatThrownBy(() -> {
      for (int i = 0; i < 1_000; i++) {
        int n = i;
        writer.submit(() -> {
          if (n == 10) {
            throw boom;
          }
          ran.incrementAndGet();
        });
      }
      writer.close();
    }).isSameAs(boom);
    writer.close(); // idempotent, and the failure is not reported twice
    assertThat(ran.get()).isEqualTo(10);
  }

  @Test
  void uncheckedFailuresComeBackAsThemselves() {
    WriterThread writer = new WriterThread("test-writer", 100, 1);
    IllegalStateException bad = new IllegalStateException("bad record");
    assertThatThrownBy(() -> {
      writer.submit(() -> {
        throw new UncheckedIOException(new IOException("x"));
      });
      writer.close();
    }).isInstanceOf(UncheckedIOException.class);
    WriterThread other = new WriterThread("test-writer", 100, 1);
    assertThatThrownBy(() -> {
      other.submit(() -> {
        throw bad;
      });
      other.close();
    }).isSameAs(bad);
  }
}
