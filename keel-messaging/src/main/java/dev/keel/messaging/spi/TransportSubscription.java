package dev.keel.messaging.spi;

/** A running subscription; closing it commits what was handled and leaves the group. */
public interface TransportSubscription extends AutoCloseable {

    /** The group this subscription is a member of. */
    String group();

    @Override
    void close();
}
