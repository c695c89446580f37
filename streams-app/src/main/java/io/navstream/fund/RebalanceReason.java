package io.navstream.fund;

/** Why a fund traded. */
public enum RebalanceReason {
  INCEPTION,
  DAILY,
  THRESHOLD,
  BAND,
  RETIREMENT,
  DEPLETION,
  /** An operator asked for it (a REBALANCE command): re-levered to the target. */
  MANUAL,
  /** A creation or redemption: traded so that the effective leverage is unchanged. */
  FLOW;

  /** Reasons at which a staged definition change takes effect. */
  public boolean appliesStagedDefinition() {
    return this == DAILY || this == THRESHOLD || this == BAND;
  }
}
