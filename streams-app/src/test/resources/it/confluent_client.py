#!/usr/bin/python3
"""A Confluent-protocol Avro client navstream did not write, for CrossClientIT.

Uses Debian's python3-confluent-kafka (librdkafka) with its registry-aware Avro serializer
(confluent_kafka.avro: python3-avro and python3-requests underneath) against a schema registry's
Confluent-compatible API (Apicurio: .../apis/ccompat/v7).

  consume: reads every partition of a topic from the start (read_committed) until --count records,
           decodes each value with the writer schema fetched by the id in the payload, and prints
           one JSON line per record: decimals as plain strings with their full scale,
           timestamp-millis as epoch milliseconds, enums as their symbol.
  produce: reads JSON lines {"symbol", "price", "eventTime"} from --input, encodes them with the
           schema in --schema-file (registered under <topic>-value), produces them keyed by symbol
           with Java's partitioner (murmur2_random), and prints one JSON line per delivered record.

Exit status 0 on success; otherwise a message on stderr.
"""

import argparse
import datetime
import decimal
import json
import sys
import time
import uuid

try:
    import avro.schema
    from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition, OFFSET_BEGINNING
    from confluent_kafka.avro import CachedSchemaRegistryClient
    from confluent_kafka.avro.serializer.message_serializer import MessageSerializer
except ImportError as missing:  # reported by the Java test as a setup problem
    sys.stderr.write("MISSING-PACKAGE: %s (install python3-confluent-kafka python3-avro"
                     " python3-requests)\n" % missing)
    sys.exit(3)

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
SCALE = decimal.Decimal(1).scaleb(-18)


def to_json(value):
    """Avro values as JSON the Java side can compare exactly."""
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        return (value - EPOCH) // datetime.timedelta(milliseconds=1)
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def consume(args):
    registry = CachedSchemaRegistryClient({"url": args.registry})
    serializer = MessageSerializer(registry)
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": "confluent-client-" + uuid.uuid4().hex,
        "enable.auto.commit": False,
        "isolation.level": "read_committed",
        "auto.offset.reset": "earliest",
    })
    try:
        metadata = consumer.list_topics(args.topic, timeout=30)
        partitions = metadata.topics[args.topic].partitions
        if not partitions:
            raise SystemExit("topic %s has no partitions" % args.topic)
        consumer.assign([TopicPartition(args.topic, p, OFFSET_BEGINNING) for p in sorted(partitions)])
        deadline = time.monotonic() + args.timeout
        read = 0
        while read < args.count:
            if time.monotonic() > deadline:
                raise SystemExit("read %d of %d records of %s within %s s"
                                 % (read, args.count, args.topic, args.timeout))
            message = consumer.poll(0.5)
            if message is None:
                continue
            if message.error():
                raise KafkaException(message.error())
            value = serializer.decode_message(message.value())
            print(json.dumps({
                "topic": message.topic(),
                "partition": message.partition(),
                "offset": message.offset(),
                "key": message.key().decode("utf-8"),
                "timestamp": message.timestamp()[1],
                "value": to_json(value),
            }, sort_keys=True), flush=True)
            read += 1
    finally:
        consumer.close()


def produce(args):
    registry = CachedSchemaRegistryClient({"url": args.registry})
    serializer = MessageSerializer(registry)
    with open(args.schema_file, encoding="utf-8") as f:
        schema = avro.schema.parse(f.read())
    producer = Producer({
        "bootstrap.servers": args.bootstrap,
        # Java's default partitioner: murmur2 of the key bytes, so keys land where Java puts them.
        "partitioner": "murmur2_random",
        "enable.idempotence": True,
        "acks": "all",
    })
    failures = []

    def delivered(error, message):
        if error is not None:
            failures.append(str(error))
            return
        print(json.dumps({"key": message.key().decode("utf-8"), "partition": message.partition(),
                          "offset": message.offset()}, sort_keys=True), flush=True)

    with open(args.input, encoding="utf-8") as lines:
        for line in lines:
            tick = json.loads(line)
            event_time = EPOCH + datetime.timedelta(milliseconds=tick["eventTime"])
            record = {
                "symbol": tick["symbol"],
                # python3-avro writes a Decimal's digits as the unscaled value: give it the
                # schema's scale first, or 100.5 would be read back as 1005e-18.
                "price": decimal.Decimal(tick["price"]).quantize(SCALE),
                "eventTime": event_time,
            }
            payload = serializer.encode_record_with_schema(args.topic, schema, record)
            producer.produce(args.topic, key=tick["symbol"].encode("utf-8"), value=payload,
                             timestamp=tick["eventTime"], on_delivery=delivered)
            producer.poll(0)
    remaining = producer.flush(args.timeout)
    if remaining or failures:
        raise SystemExit("%d record(s) not delivered: %s" % (remaining + len(failures), failures[:3]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["consume", "produce"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True, help="Confluent-compatible base URL")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--count", type=int, default=0, help="consume: records to read")
    parser.add_argument("--schema-file", help="produce: the writer schema (Avro JSON)")
    parser.add_argument("--input", help="produce: JSON lines of ticks")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    if args.mode == "consume":
        consume(args)
    else:
        produce(args)


if __name__ == "__main__":
    main()
