package io.navstream.fund;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A validated fund definition: what the fund is, as opposed to {@link FundBook}, what it holds.
 *
 * <p>Optional settings are null when absent, except the three with a neutral default: the zone
 * (UTC), the recentering speed (1) and the fees (0, creation and redemption fees included).
 *
 * @param effectiveTime when the fund may incept (or, for a staged change, take effect); filled
 *     with the definition record's time when the definition does not say
 * @param dailyRebalanceTime local time of the daily rebalance, or null for none
 * @param thresholdMove adverse move since the last rebalance that triggers one, or null
 * @param minLeverage lower end of the leverage band, or null
 * @param maxLeverage upper end of the leverage band, or null
 * @param creationFee fraction of a CREATE's amount kept as a fee (0 when absent)
 * @param redemptionFee fraction of a REDEEM's value kept as a fee (0 when absent)
 * @param flowBlackout flows whose eventTime lies within this of a daily rebalance are rejected, or
 *     null for none
 * @param navPolicy when shares split or merge, or null for never
 * @param premiumAlertThreshold |premium| above which the fund's premium/discount is an alert, or
 *     null to use the global threshold
 */
public record FundSpec(
    String fundId,
    String underlying,
    Direction direction,
    BigDecimal targetLeverage,
    BigDecimal initialNav,
    BigDecimal initialShares,
    Instant effectiveTime,
    LocalTime dailyRebalanceTime,
    ZoneId zone,
    BigDecimal thresholdMove,
    BigDecimal minLeverage,
    BigDecimal maxLeverage,
    BigDecimal recenteringSpeed,
    BigDecimal managementFeeDaily,
    BigDecimal tradingFeeRate,
    BigDecimal creationFee,
    BigDecimal redemptionFee,
    Duration flowBlackout,
    NavPolicy navPolicy,
    BigDecimal premiumAlertThreshold) {

  private static final ZoneId UTC = ZoneId.of("UTC");
  private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm[:ss]");

  public FundSpec {
    Objects.requireNonNull(fundId, "fundId");
    Objects.requireNonNull(underlying, "underlying");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(targetLeverage, "targetLeverage");
    Objects.requireNonNull(initialNav, "initialNav");
    Objects.requireNonNull(initialShares, "initialShares");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(recenteringSpeed, "recenteringSpeed");
    Objects.requireNonNull(managementFeeDaily, "managementFeeDaily");
    Objects.requireNonNull(tradingFeeRate, "tradingFeeRate");
    Objects.requireNonNull(creationFee, "creationFee");
    Objects.requireNonNull(redemptionFee, "redemptionFee");
  }

  /**
   * A definition as it arrives, before validation: text where the wire has text, null where a
   * field is absent.
   */
  public record Draft(
      String fundId,
      String underlying,
      String direction,
      BigDecimal targetLeverage,
      BigDecimal initialNav,
      BigDecimal initialShares,
      Instant effectiveTime,
      String dailyRebalanceTime,
      String rebalanceTimeZone,
      BigDecimal thresholdMove,
      BigDecimal minLeverage,
      BigDecimal maxLeverage,
      BigDecimal recenteringSpeed,
      BigDecimal managementFeeDaily,
      BigDecimal tradingFeeRate,
      BigDecimal creationFee,
      BigDecimal redemptionFee,
      Integer flowBlackoutMinutes,
      NavPolicy navPolicy,
      BigDecimal premiumAlertThreshold) {

    /** A draft without the fund-lifecycle settings (flows, splits, premium alerts). */
    public Draft(String fundId, String underlying, String direction, BigDecimal targetLeverage,
        BigDecimal initialNav, BigDecimal initialShares, Instant effectiveTime,
        String dailyRebalanceTime, String rebalanceTimeZone, BigDecimal thresholdMove,
        BigDecimal minLeverage, BigDecimal maxLeverage, BigDecimal recenteringSpeed,
        BigDecimal managementFeeDaily, BigDecimal tradingFeeRate) {
      this(fundId, underlying, direction, targetLeverage, initialNav, initialShares, effectiveTime,
          dailyRebalanceTime, rebalanceTimeZone, thresholdMove, minLeverage, maxLeverage,
          recenteringSpeed, managementFeeDaily, tradingFeeRate, null, null, null, null, null);
    }
  }

  /**
   * Validates a draft.
   *
   * @param recordTime the definition record's time, used when the draft has no effective time
   * @throws InvalidDefinitionException listing every problem found, not just the first
   */
  public static FundSpec validate(Draft d, Instant recordTime) {
    List<String> problems = new ArrayList<>();
    if (d.fundId() == null || d.fundId().isBlank()) {
      problems.add("fundId is missing");
    }
    if (d.underlying() == null || d.underlying().isBlank()) {
      problems.add("underlying is missing");
    }
    Direction direction = null;
    if (d.direction() == null) {
      problems.add("direction is missing");
    } else {
      try {
        direction = Direction.valueOf(d.direction());
      } catch (IllegalArgumentException e) {
        problems.add("direction '" + d.direction() + "' is unknown (LONG or SHORT)");
      }
    }
    requirePositive(problems, "targetLeverage", d.targetLeverage());
    requirePositive(problems, "initialNav", d.initialNav());
    requirePositive(problems, "initialShares", d.initialShares());

    LocalTime daily = null;
    if (d.dailyRebalanceTime() != null) {
      try {
        daily = LocalTime.parse(d.dailyRebalanceTime(), TIME_OF_DAY);
      } catch (DateTimeParseException e) {
        problems.add("dailyRebalanceTime '" + d.dailyRebalanceTime() + "' is not HH:mm or HH:mm:ss");
      }
    }
    ZoneId zone = UTC;
    if (d.rebalanceTimeZone() != null) {
      try {
        zone = ZoneId.of(d.rebalanceTimeZone());
      } catch (DateTimeException e) {
        problems.add("rebalanceTimeZone '" + d.rebalanceTimeZone() + "' is not a known zone");
      }
    }
    BigDecimal threshold = d.thresholdMove();
    if (threshold != null && (threshold.signum() <= 0 || threshold.compareTo(BigDecimal.ONE) >= 0)) {
      problems.add("thresholdMove " + threshold.toPlainString() + " is outside (0, 1)");
    }
    BigDecimal target = d.targetLeverage();
    if (target != null && d.minLeverage() != null && d.minLeverage().compareTo(target) >= 0) {
      problems.add("minLeverage " + d.minLeverage().toPlainString()
          + " is not below targetLeverage " + target.toPlainString());
    }
    if (target != null && d.maxLeverage() != null && d.maxLeverage().compareTo(target) <= 0) {
      problems.add("maxLeverage " + d.maxLeverage().toPlainString()
          + " is not above targetLeverage " + target.toPlainString());
    }
    BigDecimal speed = d.recenteringSpeed() == null ? Decimals.ONE : d.recenteringSpeed();
    if (speed.signum() <= 0 || speed.compareTo(BigDecimal.ONE) > 0) {
      problems.add("recenteringSpeed " + speed.toPlainString() + " is outside (0, 1]");
    }
    BigDecimal managementFee = orZero(d.managementFeeDaily());
    if (managementFee.signum() < 0) {
      problems.add("managementFeeDaily " + managementFee.toPlainString() + " is negative");
    }
    BigDecimal tradingFee = orZero(d.tradingFeeRate());
    if (tradingFee.signum() < 0) {
      problems.add("tradingFeeRate " + tradingFee.toPlainString() + " is negative");
    } else if (target != null) {
      // Sizing divides by (1 - L'*f); the highest L' a rebalance can aim at is the target or the
      // top of the band, so that product must stay below 1 for the trade to have a solution.
      BigDecimal highest = d.maxLeverage() != null ? d.maxLeverage().max(target) : target;
      if (tradingFee.multiply(highest).compareTo(BigDecimal.ONE) >= 0) {
        problems.add("tradingFeeRate " + tradingFee.toPlainString()
            + " times leverage " + highest.toPlainString() + " is not below 1");
      }
    }
    BigDecimal creationFee = orZero(d.creationFee());
    requireFraction(problems, "creationFee", creationFee);
    BigDecimal redemptionFee = orZero(d.redemptionFee());
    requireFraction(problems, "redemptionFee", redemptionFee);
    Duration blackout = null;
    if (d.flowBlackoutMinutes() != null) {
      if (d.flowBlackoutMinutes() < 0 || d.flowBlackoutMinutes() > 12 * 60) {
        problems.add("flowBlackoutMinutes " + d.flowBlackoutMinutes() + " is outside [0, 720]");
      } else if (d.flowBlackoutMinutes() > 0) {
        blackout = Duration.ofMinutes(d.flowBlackoutMinutes());
      }
    }
    if (d.navPolicy() != null) {
      problems.addAll(d.navPolicy().problems());
    }
    BigDecimal alert = d.premiumAlertThreshold();
    if (alert != null && alert.signum() < 0) {
      problems.add("premiumAlertThreshold " + alert.toPlainString() + " is negative");
    }
    if (!problems.isEmpty()) {
      throw new InvalidDefinitionException(d.fundId(), problems);
    }
    return new FundSpec(
        d.fundId(),
        d.underlying(),
        direction,
        d.targetLeverage(),
        d.initialNav(),
        d.initialShares(),
        d.effectiveTime() != null ? d.effectiveTime() : recordTime,
        daily,
        zone,
        threshold,
        d.minLeverage(),
        d.maxLeverage(),
        speed,
        managementFee,
        tradingFee,
        creationFee,
        redemptionFee,
        blackout,
        d.navPolicy(),
        alert);
  }

  /**
   * Whether a flow at {@code time} falls in the blackout around a daily rebalance D, the window
   * [D − flowBlackout, D + flowBlackout). False without a blackout or a daily rebalance.
   */
  public boolean inFlowBlackout(Instant time) {
    if (flowBlackout == null || dailyRebalanceTime == null) {
      return false;
    }
    // The first D strictly after time − w is in the window when D ≤ time + w.
    Instant next = DailySchedule.nextAfter(time.minus(flowBlackout), dailyRebalanceTime, zone);
    return !next.isAfter(time.plus(flowBlackout));
  }

  /** The daily rebalance time as the wire writes it ({@code HH:mm:ss}), or null. */
  public String dailyRebalanceTimeText() {
    return dailyRebalanceTime == null ? null : dailyRebalanceTime.format(DateTimeFormatter.ISO_LOCAL_TIME);
  }

  /** The fields that cannot change once the fund has incepted, named where they differ. */
  public List<String> immutableFieldsChangedBy(FundSpec next) {
    List<String> changed = new ArrayList<>();
    if (!underlying.equals(next.underlying)) {
      changed.add("underlying");
    }
    if (direction != next.direction) {
      changed.add("direction");
    }
    if (initialNav.compareTo(next.initialNav) != 0) {
      changed.add("initialNav");
    }
    if (initialShares.compareTo(next.initialShares) != 0) {
      changed.add("initialShares");
    }
    return changed;
  }

  /** The next scheduled daily rebalance strictly after {@code after}, or null without a daily time. */
  public Instant nextDailyRebalanceAfter(Instant after) {
    return dailyRebalanceTime == null ? null : DailySchedule.nextAfter(after, dailyRebalanceTime, zone);
  }

  private static void requirePositive(List<String> problems, String name, BigDecimal value) {
    if (value == null) {
      problems.add(name + " is missing");
    } else if (value.signum() <= 0) {
      problems.add(name + " " + value.toPlainString() + " is not positive");
    }
  }

  private static void requireFraction(List<String> problems, String name, BigDecimal value) {
    if (value.signum() < 0 || value.compareTo(BigDecimal.ONE) >= 0) {
      problems.add(name + " " + value.toPlainString() + " is outside [0, 1)");
    }
  }

  private static BigDecimal orZero(BigDecimal value) {
    return value == null ? Decimals.ZERO : value;
  }
}
