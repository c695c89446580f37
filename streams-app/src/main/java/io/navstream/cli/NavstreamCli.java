package io.navstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of navstream.jar: one subcommand per task. */
@Command(
    name = "navstream",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Live NAV and rebalancing of leveraged tokens on Kafka Streams.",
    subcommands = {
      RunCommand.class,
      ReplayCommand.class,
      SimulateCommand.class,
      DemoCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class NavstreamCli {

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests to run commands in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new NavstreamCli()).setCaseInsensitiveEnumValuesAllowed(true);
  }
}
