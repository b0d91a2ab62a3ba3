package dev.keel.messaging.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A record as a subscriber receives it, with where it came from.
 *
 * @param record    topic, key, headers and value
 * @param partition the partition of the topic it was read from
 * @param offset    its offset in that partition
 * @param timestamp when the transport stored it
 */
public record ReceivedRecord(WireRecord record, int partition, long offset, Instant timestamp) {

    public ReceivedRecord {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(timestamp, "timestamp");
        if (partition < 0 || offset < 0) {
            throw new IllegalArgumentException("partition and offset are not negative, got " + partition + "/" + offset);
        }
    }

    public String topic() {
        return record.topic();
    }

    public String key() {
        return record.key();
    }

    /** {@code topic/partition@offset}, for logs and error messages. */
    public String where() {
        return record.topic() + "/" + partition + "@" + offset;
    }
}
