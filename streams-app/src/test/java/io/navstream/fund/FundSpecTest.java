package io.navstream.fund;

import static io.navstream.fund.Specs.T0;
import static io.navstream.fund.Specs.fund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalTime;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class FundSpecTest {

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.leverage("0"), "targetLeverage 0"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.leverage("-3"), "targetLeverage -3"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.direction("SIDEWAYS"), "direction 'SIDEWAYS'"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.nav("0"), "initialNav 0"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.shares("-1"), "initialShares -1"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.threshold("0"), "thresholdMove 0"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.threshold("1"), "thresholdMove 1"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.band("3", "4"), "minLeverage 3"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.band("1", "3"), "maxLeverage 3"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.speed("0"), "recenteringSpeed 0"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.speed("1.5"), "recenteringSpeed 1.5"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.managementFee("-0.1"), "managementFeeDaily -0.1"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.tradingFee("-0.1"), "tradingFeeRate -0.1"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.zone("Mars/Olympus"), "rebalanceTimeZone 'Mars/Olympus'"),
        Arguments.of((UnaryOperator<Specs.Builder>) b -> b.daily("25:00"), "dailyRebalanceTime '25:00'"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("invalid")
  void rejectsWithTheReason(UnaryOperator<Specs.Builder> change, String expected) {
    Specs.Builder b = change.apply(fund("F", "LONG", "3"));
    assertThatThrownBy(b::spec)
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining("fund 'F'")
        .hasMessageContaining(expected);
  }

  @Test
  void listsEveryProblemAtOnce() {
    assertThatThrownBy(() -> fund("F", "UP", "0").nav("0").spec())
        .isInstanceOfSatisfying(InvalidDefinitionException.class,
            e -> assertThat(e.problems()).hasSize(3));
  }

  @Test
  void defaultsAreUtcFullRecenteringAndNoFees() {
    FundSpec spec = fund("F", "LONG", "3").spec();
    assertThat(spec.zone().getId()).isEqualTo("UTC");
    assertThat(spec.recenteringSpeed()).isEqualByComparingTo("1");
    assertThat(spec.tradingFeeRate()).isZero();
    assertThat(spec.managementFeeDaily()).isZero();
    assertThat(spec.effectiveTime()).isEqualTo(T0);
  }

  @Test
  void acceptsBothTimeOfDayForms() {
    assertThat(fund("F", "LONG", "3").daily("08:30").spec().dailyRebalanceTime()).isEqualTo(LocalTime.of(8, 30));
    assertThat(fund("F", "LONG", "3").daily("08:30:15").spec().dailyRebalanceTimeText()).isEqualTo("08:30:15");
  }
}
