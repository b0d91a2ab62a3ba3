package dev.keel.shop.platform;

/** A started service. Closing it stops its HTTP server, consumers and pools, in that order. */
public interface RunningService extends AutoCloseable {

    String name();

    /** {@code http://localhost:<port>} */
    String baseUrl();

    @Override
    void close();
}
