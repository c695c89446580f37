package io.navstream.topology;

import io.navstream.avro.CorporateAction;
import io.navstream.avro.FlowResult;
import io.navstream.avro.FundCommand;
import io.navstream.avro.FundDefinition;
import io.navstream.avro.FundFlow;
import io.navstream.avro.FundState;
import io.navstream.avro.FundingRate;
import io.navstream.avro.NavCandle;
import io.navstream.avro.NavUpdate;
import io.navstream.avro.PremiumDiscount;
import io.navstream.avro.PriceTick;
import io.navstream.avro.RebalanceInstruction;
import io.navstream.avro.TokenPrice;
import io.navstream.serde.AvroSerdes;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The typed, immutable topic registry: every topic navstream reads or writes, with its serdes. Built
 * once from configuration; the topology, the runtime, replay and the tests all take topics from here.
 *
 * <p>Keys are plain UTF-8 strings. Values are Avro SpecificRecords in the Confluent wire format,
 * registered under the topic-name strategy ({@code <topic>-value}). Dead-letter values are the
 * rejected record's own bytes, so the dead-letter topic has no value schema of its own.
 */
public final class Topics {
  private final TopicNames names;
  private final AvroSerdes avro;
  private final Topic<String, PriceTick> prices;
  private final Topic<String, FundDefinition> fundDefinitions;
  private final Topic<String, FundingRate> fundingRates;
  private final Topic<String, NavUpdate> navUpdates;
  private final Topic<String, RebalanceInstruction> rebalanceInstructions;
  private final Topic<String, FundState> fundState;
  private final Topic<String, byte[]> deadLetter;
  private final Topic<String, FundCommand> fundCommands;
  private final Topic<String, NavCandle> navCandles;
  private final Topic<String, FundFlow> fundFlows;
  private final Topic<String, FlowResult> flowResults;
  private final Topic<String, CorporateAction> corporateActions;
  private final Topic<String, TokenPrice> tokenPrices;
  private final Topic<String, PremiumDiscount> premiumDiscount;

  public Topics(TopicNames names, AvroSerdes avro) {
    this.names = names;
    this.avro = avro;
    Serde<String> key = Serdes.String();
    this.prices = new Topic<>(names.prices(), key, avro.forValues(PriceTick.class));
    this.fundDefinitions =
        new Topic<>(names.fundDefinitions(), key, avro.forValues(FundDefinition.class));
    this.fundingRates = new Topic<>(names.fundingRates(), key, avro.forValues(FundingRate.class));
    this.navUpdates = new Topic<>(names.navUpdates(), key, avro.forValues(NavUpdate.class));
    this.rebalanceInstructions =
        new Topic<>(
            names.rebalanceInstructions(), key, avro.forValues(RebalanceInstruction.class));
    this.fundState = new Topic<>(names.fundState(), key, avro.forValues(FundState.class));
    this.deadLetter = new Topic<>(names.deadLetter(), key, Serdes.ByteArray());
    this.fundCommands = new Topic<>(names.fundCommands(), key, avro.forValues(FundCommand.class));
    this.navCandles = new Topic<>(names.navCandles(), key, avro.forValues(NavCandle.class));
    this.fundFlows = new Topic<>(names.fundFlows(), key, avro.forValues(FundFlow.class));
    this.flowResults = new Topic<>(names.flowResults(), key, avro.forValues(FlowResult.class));
    this.corporateActions =
        new Topic<>(names.corporateActions(), key, avro.forValues(CorporateAction.class));
    this.tokenPrices = new Topic<>(names.tokenPrices(), key, avro.forValues(TokenPrice.class));
    this.premiumDiscount =
        new Topic<>(names.premiumDiscount(), key, avro.forValues(PremiumDiscount.class));
  }

  public TopicNames names() {
    return names;
  }

  /** The Avro serdes behind these topics, for internal topics and stores. */
  public AvroSerdes avro() {
    return avro;
  }

  public Topic<String, PriceTick> prices() {
    return prices;
  }

  public Topic<String, FundDefinition> fundDefinitions() {
    return fundDefinitions;
  }

  public Topic<String, FundingRate> fundingRates() {
    return fundingRates;
  }

  public Topic<String, NavUpdate> navUpdates() {
    return navUpdates;
  }

  public Topic<String, RebalanceInstruction> rebalanceInstructions() {
    return rebalanceInstructions;
  }

  public Topic<String, FundState> fundState() {
    return fundState;
  }

  public Topic<String, byte[]> deadLetter() {
    return deadLetter;
  }

  public Topic<String, FundCommand> fundCommands() {
    return fundCommands;
  }

  public Topic<String, NavCandle> navCandles() {
    return navCandles;
  }

  public Topic<String, FundFlow> fundFlows() {
    return fundFlows;
  }

  public Topic<String, FlowResult> flowResults() {
    return flowResults;
  }

  public Topic<String, CorporateAction> corporateActions() {
    return corporateActions;
  }

  public Topic<String, TokenPrice> tokenPrices() {
    return tokenPrices;
  }

  public Topic<String, PremiumDiscount> premiumDiscount() {
    return premiumDiscount;
  }

  public List<Topic<?, ?>> inputs() {
    return List.of(prices, fundDefinitions, fundingRates, fundCommands, fundFlows, tokenPrices);
  }

  public List<Topic<?, ?>> outputs() {
    return List.of(navUpdates, rebalanceInstructions, fundState, deadLetter, navCandles, flowResults,
        corporateActions, premiumDiscount);
  }
}
