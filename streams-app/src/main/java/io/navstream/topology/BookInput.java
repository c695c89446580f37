package io.navstream.topology;

import io.navstream.avro.FundingRate;
import io.navstream.avro.PriceTick;
import io.navstream.avro.internal.FundControl;

/**
 * The three inputs of the fund-book processor, merged into one stream keyed by underlying. Never
 * serialized: merge and process run in one sub-topology.
 */
sealed interface BookInput {
  record Price(PriceTick tick) implements BookInput {}

  record Funding(FundingRate rate) implements BookInput {}

  record Control(FundControl control) implements BookInput {}
}
