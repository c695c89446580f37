package io.navstream.fund;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A split or merge of a fund's shares. Equity is unchanged: navBefore × sharesBefore equals
 * navAfter × sharesAfter up to rounding of the share count.
 *
 * @param ratio SPLIT: new shares per old share; MERGE: old shares per new share
 * @param adjustmentFactor the fund's cumulative adjustment factor after this action
 */
public record CorporateAction(
    String fundId,
    Type type,
    int ratio,
    BigDecimal navBefore,
    BigDecimal navAfter,
    BigDecimal sharesBefore,
    BigDecimal sharesAfter,
    BigDecimal adjustmentFactor,
    Instant time) {

  public enum Type {
    SPLIT,
    MERGE
  }
}
