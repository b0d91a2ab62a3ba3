package dev.keel.shop.platform;

import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started service made of its HTTP server and what runs behind it. Closing stops the HTTP server
 * first, so that no request starts work on parts already stopped, then the other parts in the order
 * given (consumers and relays before the pools they use). A part that fails to close does not keep
 * the others open.
 *
 * <pre>{@code
 * return StartedService.of(http, messaging);
 * }</pre>
 */
public final class StartedService implements RunningService {

    private static final Logger log = LoggerFactory.getLogger(StartedService.class);

    private final ServiceHttp http;
    private final List<AutoCloseable> behind;
    private boolean closed;

    private StartedService(ServiceHttp http, List<AutoCloseable> behind) {
        this.http = http;
        this.behind = behind;
    }

    /** The service's HTTP server, then the parts to close after it, in order. */
    public static StartedService of(ServiceHttp http, AutoCloseable... behind) {
        Objects.requireNonNull(http, "http");
        return new StartedService(http, List.of(behind));
    }

    @Override
    public String name() {
        return http.service();
    }

    @Override
    public String baseUrl() {
        return http.baseUrl();
    }

    public int port() {
        return http.port();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(http);
        behind.forEach(StartedService::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            log.warn("stopping {} failed", part, e);
        }
    }
}
