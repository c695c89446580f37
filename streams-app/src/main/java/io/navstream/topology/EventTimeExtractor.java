package io.navstream.topology;

import io.navstream.avro.FundCommand;
import io.navstream.avro.FundFlow;
import io.navstream.avro.FundingRate;
import io.navstream.avro.PriceTick;
import io.navstream.avro.TokenPrice;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Time comes from the records: a tick's, funding event's, operator command's, fund flow's or token
 * price's own eventTime, not when it was produced. Outputs inherit it, so live and replayed runs
 * stamp the same times. Anything else (tombstones, definitions, and the NAV history's raw NAV
 * updates, which navstream stamped with their eventTime) keeps its record timestamp.
 */
public final class EventTimeExtractor implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    Object value = record.value();
    if (value instanceof PriceTick tick && tick.getEventTime() != null) {
      return tick.getEventTime().toEpochMilli();
    }
    if (value instanceof FundingRate rate && rate.getEventTime() != null) {
      return rate.getEventTime().toEpochMilli();
    }
    if (value instanceof FundFlow flow && flow.getEventTime() != null) {
      return flow.getEventTime().toEpochMilli();
    }
    if (value instanceof TokenPrice token && token.getEventTime() != null) {
      return token.getEventTime().toEpochMilli();
    }
    if (value instanceof FundCommand command && command.getEventTime() != null) {
      return command.getEventTime().toEpochMilli();
    }
    return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
  }
}
