package io.navstream.it;

import io.navstream.embedded.ApicurioRegistry;
import io.navstream.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One embedded KRaft broker and one Apicurio Registry, started together (in parallel: the registry
 * takes longest) and shared by the tests of one class. Work files live under {@code target/it/}:
 * the broker's data is deleted on close, the registry's log is kept for diagnosis.
 */
final class KafkaStack implements ItEnvironment, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaStack.class);

  private final Path workDir;
  private final EmbeddedKafka kafka;
  private final ApicurioRegistry registry;

  private KafkaStack(Path workDir, EmbeddedKafka kafka, ApicurioRegistry registry) {
    this.workDir = workDir;
    this.kafka = kafka;
    this.registry = registry;
  }

  /** A fresh work directory {@code target/it/<name>-<unique>}. */
  static Path newWorkDir(String name) {
    try {
      Path root = Files.createDirectories(Path.of("target", "it"));
      return Files.createTempDirectory(root, name + "-").toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static KafkaStack start(String name) {
    Path workDir = newWorkDir(name);
    CompletableFuture<ApicurioRegistry> registry =
        CompletableFuture.supplyAsync(() -> ApicurioRegistry.start(workDir.resolve("apicurio")));
    EmbeddedKafka kafka;
    try {
      kafka = EmbeddedKafka.start(workDir.resolve("kafka"));
    } catch (RuntimeException e) {
      registry.thenAccept(ApicurioRegistry::close);
      throw e;
    }
    try {
      ApicurioRegistry ready = registry.join();
      TestLog.line("stack for %s: broker %s started in %d ms, Apicurio %s started in %d ms",
          name, kafka.bootstrapServers(), kafka.startupTime().toMillis(), ready.url(),
          ready.startupTime().toMillis());
      return new KafkaStack(workDir, kafka, ready);
    } catch (CompletionException e) {
      kafka.close();
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  Path workDir() {
    return workDir;
  }

  @Override
  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  @Override
  public String registryUrl() {
    return registry.url();
  }

  @Override
  public void close() {
    try {
      kafka.close();
    } finally {
      registry.close();
    }
    deleteRecursively(kafka.dataDir());
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("Cannot delete {}", dir, e);
    }
  }
}
