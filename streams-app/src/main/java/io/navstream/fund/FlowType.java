package io.navstream.fund;

/** A creation (quote currency in, shares out) or a redemption (shares in, quote currency out). */
public enum FlowType {
  CREATE,
  REDEEM
}
