package dev.keel.messaging.spi;

/**
 * Handles the records of a subscription, one at a time per partition. Returning means the record is
 * done for good (its effects committed); throwing means it must come again.
 */
@FunctionalInterface
public interface RecordHandler {
    void handle(ReceivedRecord record) throws Exception;
}
