package io.navstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER: replaced by its owner. */
@Command(name = "replay", description = "todo")
public final class ReplayCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 1;
  }
}
