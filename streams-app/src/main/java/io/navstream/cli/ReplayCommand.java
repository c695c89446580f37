package io.navstream.cli;

import io.navstream.replay.ReplayDriver;
import io.navstream.replay.ReplayInputException;
import io.navstream.replay.ReplayProgress;
import io.navstream.replay.ReplayResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code navstream replay}: the topology over files, offline, outputs as JSON lines. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Replays fund definitions, prices, funding rates, operator commands, fund flows and token"
          + " prices from files through the navstream topology, offline (no Kafka needed), and"
          + " writes what it produces as JSON lines: nav-updates.jsonl,"
          + " rebalance-instructions.jsonl, fund-state.jsonl, flow-results.jsonl,"
          + " corporate-actions.jsonl, premium-discount.jsonl and dead-letter.jsonl in the output"
          + " directory.",
      "Inputs are fed in timestamp order across the files; at equal timestamps definitions"
          + " first, then flows, funding, prices, commands, then token prices. Bad rows are"
          + " reported with their line number and skipped."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the replay ran (even if some rows were skipped)",
      "1:an I/O error or a topology failure",
      "2:bad arguments or an unusable input file (such as a wrong CSV header)"
    })
public final class ReplayCommand implements Callable<Integer> {
  /** Above this many estimated price rows, a progress bar is shown on a terminal. */
  static final long PROGRESS_THRESHOLD_ROWS = 100_000;

  @Spec CommandSpec spec;

  @Option(
      names = "--funds",
      required = true,
      paramLabel = "FUNDS.json",
      description = "JSON array of fund definitions and retirements.")
  Path funds;

  @Option(
      names = "--prices",
      required = true,
      paramLabel = "PRICES.csv",
      description = "CSV with the header timestamp,symbol,price.")
  Path prices;

  @Option(
      names = "--funding",
      paramLabel = "FUNDING.csv",
      description = "CSV with the header timestamp,symbol,rate. Optional.")
  Path funding;

  @Option(
      names = "--commands",
      paramLabel = "COMMANDS.csv",
      description =
          "CSV with the header timestamp,commandId,fundId,type (REBALANCE, PAUSE or RESUME):"
              + " operator commands, as the API writes them to fund-commands. Optional.")
  Path commands;

  @Option(
      names = "--flows",
      paramLabel = "FLOWS.csv",
      description = "CSV with the header timestamp,requestId,fundId,type,amount (type CREATE or"
          + " REDEEM; CREATE amounts in quote currency, REDEEM amounts in shares). Optional.")
  Path flows;

  @Option(
      names = "--token-prices",
      paramLabel = "TOKEN.csv",
      description = "CSV with the header timestamp,fundId,price: the tokens' market prices, for"
          + " premium-discount.jsonl. Optional.")
  Path tokenPrices;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Output directory, created when missing; its .jsonl files are replaced.")
  Path out;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Drivers to spread the replay over, each on a thread of its own, by fund group and"
              + " underlying (default: the available processors). The outputs are the same byte"
              + " for byte whatever N; 1 runs one driver on the main thread. With --token-prices"
              + " the replay runs on one driver.")
  Integer threads;

  @Option(
      names = "--progress",
      negatable = true,
      description =
          "Show a progress bar on stderr (default: only on a terminal and for a prices file of"
              + " more than "
              + PROGRESS_THRESHOLD_ROWS
              + " rows).")
  Boolean progress;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    requireFile("--funds", funds);
    requireFile("--prices", prices);
    if (funding != null) {
      requireFile("--funding", funding);
    }
    if (commands != null) {
      requireFile("--commands", commands);
    }
    if (flows != null) {
      requireFile("--flows", flows);
    }
    if (tokenPrices != null) {
      requireFile("--token-prices", tokenPrices);
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--out: " + out + " exists and is not a directory");
    }
    try (ReplayProgress feedback = showProgress() ? ReplayProgress.bar(err) : ReplayProgress.NONE) {
      ReplayResult result =
          ReplayDriver.builder()
              .funds(funds)
              .prices(prices)
              .funding(funding)
              .commands(commands)
              .flows(flows)
              .tokenPrices(tokenPrices)
              .outputDirectory(out)
              .diagnostics(err)
              .progress(feedback)
              .threads(threads())
              .build()
              .run();
      stdout.print(result.summary());
      stdout.println("  output:   " + out.toAbsolutePath());
      stdout.flush();
      return 0;
    } catch (ReplayInputException e) {
      err.println("replay: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("replay: I/O error: " + e);
      return 1;
    } catch (KafkaException e) {
      // StreamsException from the topology, SerializationException from a serde.
      err.println("replay: the topology failed: " + e.getMessage());
      if (e.getCause() != null) {
        err.println("  caused by: " + e.getCause());
      }
      return 1;
    } finally {
      err.flush();
    }
  }

  private int threads() {
    if (threads == null) {
      return Runtime.getRuntime().availableProcessors();
    }
    if (threads < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--threads: must be at least 1, was " + threads);
    }
    return threads;
  }

  private boolean showProgress() {
    if (progress != null) {
      return progress;
    }
    try {
      return System.console() != null
          && ReplayDriver.estimateRows(prices) > PROGRESS_THRESHOLD_ROWS;
    } catch (IOException e) {
      return false; // the replay itself will report the file
    }
  }

  private void requireFile(String option, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), option + ": no such file: " + file);
    }
  }
}
