package io.navstream.query;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code GET /metrics}: Kafka Streams' own metrics (with navstream's sensors, group {@code
 * stream-navstream-metrics}) through Micrometer's {@link KafkaStreamsMetrics}, and the overdue
 * gauges {@code navstream_overdue_funds} and {@code navstream_fund_overdue_seconds{fund=...}}.
 */
final class ApiMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicInteger overdueFunds = new AtomicInteger();
  private final MultiGauge overdueSeconds;
  private final RefreshingScheduler scheduler = new RefreshingScheduler();
  private KafkaStreamsMetrics streamsMetrics;

  ApiMetrics() {
    Gauge.builder("navstream.overdue.funds", overdueFunds, AtomicInteger::get)
        .description("Funds on this instance whose scheduled rebalance is overdue on the wall clock")
        .register(registry);
    overdueSeconds = MultiGauge.builder("navstream.fund.overdue.seconds")
        .description("Seconds past the scheduled rebalance, per overdue fund")
        .register(registry);
  }

  synchronized void bind(KafkaStreams streams) {
    streamsMetrics = new KafkaStreamsMetrics(streams, Tags.empty(), scheduler);
    streamsMetrics.bindTo(registry);
  }

  /** The Prometheus text, after binding sensors created since the last scrape. */
  synchronized String scrape(Map<String, Long> overdue) {
    scheduler.refreshNow();
    overdueFunds.set(overdue.size());
    overdueSeconds.register(overdue.entrySet().stream()
        .map(e -> MultiGauge.Row.of(Tags.of("fund", e.getKey()), e.getValue()))
        .toList(), true);
    return registry.scrape();
  }

  @Override
  public synchronized void close() {
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    scheduler.shutdownNow();
    registry.close();
  }

  /**
   * Micrometer's Kafka binder re-reads the metric list on a fixed schedule (a minute); navstream's
   * sensors appear when a task first uses them. This scheduler keeps the binder's refresh task, so
   * a scrape runs it first and shows every current metric.
   */
  private static final class RefreshingScheduler extends ScheduledThreadPoolExecutor {
    private final List<Runnable> refreshTasks = new java.util.concurrent.CopyOnWriteArrayList<>();

    RefreshingScheduler() {
      super(1, r -> {
        Thread t = new Thread(r, "navstream-metrics-refresh");
        t.setDaemon(true);
        return t;
      });
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(
        Runnable command, long initialDelay, long period, TimeUnit unit) {
      refreshTasks.add(command);
      return super.scheduleAtFixedRate(command, Math.min(initialDelay, 10_000),
          Math.min(unit.toMillis(period), 10_000), TimeUnit.MILLISECONDS);
    }

    void refreshNow() {
      refreshTasks.forEach(Runnable::run);
    }
  }
}
