package io.navstream.simulator;

import io.navstream.avro.FundingRate;
import io.navstream.avro.PriceTick;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** One simulated market input for navstream: a price tick or a funding rate of one symbol. */
public sealed interface MarketEvent permits MarketEvent.Price, MarketEvent.Funding {

  String symbol();

  Instant eventTime();

  /**
   * A mark price.
   *
   * @param price positive, scale 18
   */
  record Price(String symbol, Instant eventTime, BigDecimal price) implements MarketEvent {
    public Price {
      Objects.requireNonNull(symbol, "symbol");
      Objects.requireNonNull(eventTime, "eventTime");
      Objects.requireNonNull(price, "price");
    }

    public PriceTick toAvro() {
      return new PriceTick(symbol, price, eventTime);
    }
  }

  /**
   * A perpetual-futures funding rate; longs pay a positive rate.
   *
   * @param rate scale 18
   */
  record Funding(String symbol, Instant eventTime, BigDecimal rate) implements MarketEvent {
    public Funding {
      Objects.requireNonNull(symbol, "symbol");
      Objects.requireNonNull(eventTime, "eventTime");
      Objects.requireNonNull(rate, "rate");
    }

    public FundingRate toAvro() {
      return new FundingRate(symbol, rate, eventTime);
    }
  }
}
