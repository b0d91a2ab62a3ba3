package dev.keel.outbox;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import dev.keel.messaging.CloudEventsBinary;
import dev.keel.messaging.Envelope;
import dev.keel.messaging.spi.ReceivedRecord;
import dev.keel.messaging.spi.RecordHandler;

/** Collects what a subscription receives, decoded. */
final class Received implements RecordHandler {

    private final List<ReceivedRecord> records = new CopyOnWriteArrayList<>();
    private final List<Envelope> envelopes = new CopyOnWriteArrayList<>();

    @Override
    public void handle(ReceivedRecord record) {
        records.add(record);
        envelopes.add(CloudEventsBinary.decode(record));
    }

    List<Envelope> envelopes() {
        return envelopes;
    }

    List<ReceivedRecord> records() {
        return records;
    }

    int size() {
        return envelopes.size();
    }

    /** Each key's sequences in arrival order. */
    Map<String, List<Long>> sequencesByKey() {
        return envelopes.stream().collect(Collectors.groupingBy(Envelope::key, java.util.TreeMap::new,
                Collectors.mapping(envelope -> envelope.sequence().orElseThrow(), Collectors.toList())));
    }

    /** How many distinct messages arrived. */
    long distinct() {
        return envelopes.stream().map(Envelope::id).distinct().count();
    }
}
