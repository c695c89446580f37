package io.navstream.topology;

import io.navstream.avro.FundDefinition;
import io.navstream.avro.internal.FundControl;
import io.navstream.avro.internal.FundControlKind;
import io.navstream.avro.internal.FundRegistration;
import io.navstream.fund.FundSpec;
import io.navstream.fund.InvalidDefinitionException;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys fund definitions (keyed by fundId) by underlying, so that each fund's book lives in the
 * task that sees its underlying's prices. A tombstone carries no underlying, so the router keeps
 * its own fundId → underlying registry. A fund stays on the underlying it was first defined with.
 *
 * <p>Definitions are validated here, before they take a partition: an invalid definition never
 * pins an underlying and never reaches the books.
 */
final class FundDefinitionRouter extends FundInputRouter<FundDefinition> {
  FundDefinitionRouter(String sourceTopic) {
    super(sourceTopic);
  }

  @Override
  public void process(Record<String, FundDefinition> record) {
    String fundId = record.key();
    FundDefinition definition = record.value();
    if (fundId == null) {
      reject(record, DeadLetters.Reason.KEY_MISMATCH, "A fund definition needs its fundId as the record key");
      return;
    }
    FundRegistration registration = registry.get(fundId);
    if (definition == null) {
      retire(record, fundId, registration);
      return;
    }
    if (!fundId.equals(definition.getFundId())) {
      reject(record, DeadLetters.Reason.KEY_MISMATCH,
          "Record key '" + fundId + "' differs from fundId '" + definition.getFundId() + "'");
      return;
    }
    if (registration != null && registration.getRetired()) {
      reject(record, DeadLetters.Reason.FUND_CLOSED,
          "Fund '" + fundId + "' was retired; a fundId is never reused");
      return;
    }
    try {
      FundSpec.validate(BookCodec.draft(definition), Instant.ofEpochMilli(record.timestamp()));
    } catch (InvalidDefinitionException e) {
      reject(record, DeadLetters.Reason.INVALID_DEFINITION, e.getMessage());
      return;
    }
    String underlying;
    if (registration == null) {
      underlying = definition.getUnderlying();
      registry.put(fundId, FundRegistration.newBuilder().setFundId(fundId).setUnderlying(underlying).build());
    } else {
      // Pinned: a different underlying here is refused by the book, with the reason.
      underlying = registration.getUnderlying();
    }
    forward(record, underlying, FundControlKind.DEFINE, fundId, definition);
  }

  private void retire(Record<String, FundDefinition> record, String fundId, FundRegistration registration) {
    if (registration == null) {
      reject(record, DeadLetters.Reason.UNKNOWN_FUND, "Cannot retire unknown fund '" + fundId + "'");
    } else if (registration.getRetired()) {
      reject(record, DeadLetters.Reason.FUND_CLOSED, "Fund '" + fundId + "' is already retired");
    } else {
      registry.put(fundId, FundRegistration.newBuilder(registration).setRetired(true).build());
      forward(record, registration.getUnderlying(), FundControlKind.RETIRE, fundId, null);
    }
  }

  private void forward(Record<String, FundDefinition> record, String underlying, FundControlKind kind,
      String fundId, FundDefinition definition) {
    route(record, underlying, FundControl.newBuilder().setFundId(fundId).setKind(kind).setDefinition(definition));
  }
}
