package io.navstream.it;

import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundingRate;
import io.navstream.avro.PriceTick;
import java.time.Instant;

/** One record fed to navstream, live or through TopologyTestDriver, in the same order. */
sealed interface Input {
  /** The record key. */
  String key();

  /** The record timestamp. */
  Instant timestamp();

  /** A fund definition, key fundId; its timestamp is when it was published. */
  record Definition(FundDefinition value, Instant timestamp) implements Input {
    @Override
    public String key() {
      return value.getFundId();
    }
  }

  /** A tombstone on fund-definitions: retires the fund. */
  record Retirement(String fundId, Instant timestamp) implements Input {
    @Override
    public String key() {
      return fundId;
    }
  }

  /** A price tick, key symbol, timestamped with its eventTime. */
  record Price(PriceTick value) implements Input {
    @Override
    public String key() {
      return value.getSymbol();
    }

    @Override
    public Instant timestamp() {
      return value.getEventTime();
    }
  }

  /** A funding rate, key symbol, timestamped with its eventTime. */
  record Funding(FundingRate value) implements Input {
    @Override
    public String key() {
      return value.getSymbol();
    }

    @Override
    public Instant timestamp() {
      return value.getEventTime();
    }
  }
}
