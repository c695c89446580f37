package io.navstream.topology;

import io.navstream.avro.FundCommand;
import io.navstream.avro.FundCommandType;
import io.navstream.avro.internal.FundControl;
import io.navstream.avro.internal.FundControlKind;
import io.navstream.avro.internal.FundRegistration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Routes operator commands (topic {@code fund-commands}, keyed by fundId) to the fund's underlying,
 * like definitions, as {@link FundControlKind#COMMAND} controls. Refused here, with the reason: a
 * malformed command, one for an unknown or retired fund, and a repeated commandId: the registry
 * keeps each fund's last {@value #REMEMBERED_COMMANDS} commandIds, so a command delivered twice
 * (a client's retry) is applied once.
 */
final class FundCommandRouter extends FundInputRouter<FundCommand> {
  static final int REMEMBERED_COMMANDS = 32;

  FundCommandRouter(String sourceTopic) {
    super(sourceTopic);
  }

  @Override
  public void process(Record<String, FundCommand> record) {
    String fundId = record.key();
    FundCommand command = record.value();
    if (command == null || command.getCommandId() == null || command.getCommandId().isBlank()
        || command.getType() == null || command.getType() == FundCommandType.UNKNOWN) {
      reject(record, DeadLetters.Reason.MALFORMED_RECORD,
          "A fund command needs a commandId and a type (REBALANCE, PAUSE or RESUME)");
      return;
    }
    if (fundId == null || !fundId.equals(command.getFundId())) {
      reject(record, DeadLetters.Reason.KEY_MISMATCH,
          "Record key '" + fundId + "' differs from fundId '" + command.getFundId() + "'");
      return;
    }
    FundRegistration registration = registry.get(fundId);
    if (registration == null) {
      reject(record, DeadLetters.Reason.UNKNOWN_FUND,
          command.getType() + " of unknown fund '" + fundId + "'");
      return;
    }
    if (registration.getRetired()) {
      reject(record, DeadLetters.Reason.FUND_CLOSED,
          command.getType() + " of fund '" + fundId + "', which was retired");
      return;
    }
    List<String> recent = registration.getRecentCommandIds();
    if (recent.contains(command.getCommandId())) {
      reject(record, DeadLetters.Reason.DUPLICATE_COMMAND,
          "Command " + command.getCommandId() + " was already applied to fund '" + fundId + "'");
      return;
    }
    List<String> remembered = new ArrayList<>(recent.subList(
        Math.max(0, recent.size() - REMEMBERED_COMMANDS + 1), recent.size()));
    remembered.add(command.getCommandId());
    registry.put(fundId, FundRegistration.newBuilder(registration).setRecentCommandIds(remembered).build());
    route(record, registration.getUnderlying(),
        FundControl.newBuilder().setFundId(fundId).setKind(FundControlKind.COMMAND).setCommand(command));
  }
}
