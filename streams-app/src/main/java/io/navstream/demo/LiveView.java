package io.navstream.demo;

import io.navstream.avro.NavUpdate;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.avro.TradeSide;
import io.navstream.topology.Topics;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's console: every fund's NAV and leverage, redrawn in place on a terminal (or printed as a
 * block every few seconds otherwise), and each rebalance as it happens. It reads navstream's output
 * topics with {@code read_committed}, like any downstream service would.
 */
final class LiveView implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(LiveView.class);
  private static final DateTimeFormatter SIMULATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final int RECENT_REBALANCES = 6;

  private final Consumer<String, byte[]> consumer;
  private final Topics topics;
  private final PrintWriter out;
  private final boolean redraw;
  private final Duration interval;
  private final Map<String, NavUpdate> latest = new TreeMap<>();
  private final Deque<String> recent = new ArrayDeque<>();
  private final AtomicLong navUpdates = new AtomicLong();
  private final AtomicLong rebalances = new AtomicLong();
  private volatile boolean running = true;
  private int drawnLines;

  /**
   * @param redraw redraw the table in place with ANSI escapes (a terminal); otherwise print blocks
   * @param interval how often the table is drawn
   */
  LiveView(Consumer<String, byte[]> consumer, Topics topics, PrintWriter out, boolean redraw, Duration interval) {
    this.consumer = consumer;
    this.topics = topics;
    this.out = out;
    this.redraw = redraw;
    this.interval = interval;
  }

  long navUpdatesSeen() {
    return navUpdates.get();
  }

  long rebalancesSeen() {
    return rebalances.get();
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(topics.navUpdates().name(), topics.rebalanceInstructions().name()));
    long nextDraw = System.nanoTime() + interval.toNanos();
    try {
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          accept(r);
        }
        if (System.nanoTime() >= nextDraw) { // display pacing: the one place the wall clock is right
          draw();
          nextDraw = System.nanoTime() + interval.toNanos();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (RuntimeException e) {
      log.error("The live view stopped", e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  void stop() {
    running = false;
    consumer.wakeup();
  }

  private void accept(ConsumerRecord<String, byte[]> r) {
    if (r.topic().equals(topics.navUpdates().name())) {
      NavUpdate nav = topics.navUpdates().valueSerde().deserializer().deserialize(r.topic(), r.value());
      latest.put(nav.getFundId(), nav);
      navUpdates.incrementAndGet();
    } else {
      RebalanceInstruction i =
          topics.rebalanceInstructions().valueSerde().deserializer().deserialize(r.topic(), r.value());
      rebalances.incrementAndGet();
      String line = describe(i);
      recent.addFirst(line);
      while (recent.size() > RECENT_REBALANCES) {
        recent.removeLast();
      }
      if (!redraw) {
        out.println(line);
        out.flush();
      }
    }
  }

  static String describe(RebalanceInstruction i) {
    String trade = i.getSide() == TradeSide.NONE
        ? "no trade"
        : String.format(Locale.ROOT, "%s %s for %s", i.getSide(), plain(i.getDeltaQuantity().abs(), 6),
            plain(i.getNotional(), 2));
    return String.format(Locale.ROOT, "%s  %-6s %-10s at %s: %s, leverage %s -> %s, fee %s",
        SIMULATED.format(i.getEventTime()), i.getFundId(), i.getReason(), plain(i.getPrice(), 2), trade,
        plain(i.getLeverageBefore(), 3), plain(i.getLeverageAfter(), 3), plain(i.getTradingFee(), 4));
  }

  private void draw() {
    StringBuilder b = new StringBuilder();
    Instant simulated = latest.values().stream().map(NavUpdate::getEventTime).max(Instant::compareTo).orElse(null);
    b.append(String.format(Locale.ROOT, "market time %s   nav updates %,d   rebalances %,d%n",
        simulated == null ? "(waiting for the first tick)" : SIMULATED.format(simulated), navUpdates.get(),
        rebalances.get()));
    b.append(String.format(Locale.ROOT, "%-7s %-9s %14s %12s %9s  %s%n", "fund", "underlying", "price", "nav",
        "leverage", "status"));
    for (NavUpdate n : latest.values()) {
      b.append(String.format(Locale.ROOT, "%-7s %-9s %14s %12s %9s  %s%n", n.getFundId(), n.getUnderlying(),
          plain(n.getPrice(), 2), plain(n.getNav(), 6), plain(n.getLeverage(), 3), n.getStatus()));
    }
    if (redraw) {
      b.append("recent rebalances:").append(System.lineSeparator());
      for (String line : recent) {
        b.append("  ").append(line).append(System.lineSeparator());
      }
      String text = b.toString();
      // Move up over the previous drawing and clear it, so the table stays in one place.
      if (drawnLines > 0) {
        out.print("\u001b[" + drawnLines + "F\u001b[J");
      }
      out.print(text);
      drawnLines = (int) text.lines().count();
    } else {
      out.print(b);
    }
    out.flush();
  }

  private static String plain(BigDecimal value, int decimals) {
    return value.setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
  }
}
