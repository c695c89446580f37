package io.navstream.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** PLACEHOLDER: replaced by its owner. */
@Command(name = "run", description = "todo")
public final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    return 1;
  }
}
