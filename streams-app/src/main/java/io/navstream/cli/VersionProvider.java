package io.navstream.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest; "dev" when run from classes. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = NavstreamCli.class.getPackage().getImplementationVersion();
    return new String[] {"navstream " + (v == null ? "dev" : v)};
  }
}
