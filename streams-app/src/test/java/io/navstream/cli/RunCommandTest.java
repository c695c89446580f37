package io.navstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `run` up to the point where it would need Kafka. */
class RunCommandTest {
  @TempDir Path dir;

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  @BeforeEach
  void environmentHasNoNavstreamSettings() {
    // run reads the real environment; these tests need it free of navstream settings.
    assumeTrue(
        System.getenv().keySet().stream()
            .noneMatch(k -> k.startsWith("NAVSTREAM_") && !k.equals("NAVSTREAM_LOG_LEVEL")),
        "NAVSTREAM_* variables are set in this environment");
  }

  private int run(String... args) {
    CommandLine cli = NavstreamCli.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    return cli.execute(args);
  }

  private Path file(String... lines) throws IOException {
    Path f = dir.resolve("navstream.properties");
    Files.write(f, List.of(lines), StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void withoutBootstrapServersItFailsFastNamingTheSetting() throws IOException {
    Path f = file("schema.registry.url=http://registry.invalid");

    int exit = run("run", "--config", f.toString());

    assertThat(exit).isEqualTo(RunCommand.EXIT_CONFIG);
    assertThat(err.toString())
        .contains("no Kafka given")
        .contains("bootstrap.servers")
        .contains("NAVSTREAM_BOOTSTRAP_SERVERS")
        .doesNotContain("schema registry");
  }

  @Test
  void withNeitherKafkaNorRegistryItNamesBoth() {
    int exit = run("run");

    assertThat(exit).isEqualTo(RunCommand.EXIT_CONFIG);
    assertThat(err.toString())
        .contains("no Kafka given")
        .contains("no schema registry given")
        .contains("NAVSTREAM_SCHEMA_REGISTRY_URL");
  }

  @Test
  void invalidConfigurationIsReportedWithTheKey() throws IOException {
    Path f = file("bootstrap.servers=b:9092", "topics.partitons=3");

    int exit = run("run", "--config", f.toString());

    assertThat(exit).isEqualTo(RunCommand.EXIT_CONFIG);
    assertThat(err.toString())
        .startsWith("Invalid configuration:")
        .contains("topics.partitons")
        .contains(f.toString());
  }

  @Test
  void missingConfigFileIsReported() {
    Path missing = dir.resolve("absent.properties");

    int exit = run("run", "--config", missing.toString());

    assertThat(exit).isEqualTo(RunCommand.EXIT_CONFIG);
    assertThat(err.toString()).contains(missing.toString()).contains("does not exist");
  }

  @Test
  void helpDocumentsTheOptionAndExitCodes() {
    int exit = run("run", "--help");

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("--config=FILE").contains("Exit codes:");
  }
}
