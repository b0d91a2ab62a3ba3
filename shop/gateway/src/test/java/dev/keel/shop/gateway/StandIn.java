package dev.keel.shop.gateway;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.keel.shop.platform.Problem;
import dev.keel.shop.platform.ServiceHttp;
import io.javalin.Javalin;

/**
 * A real HTTP server on a free local port, standing in for one Shop service: built on the Shop's own
 * chassis (so it answers problem details and health like a service does), with canned routes. It records
 * every request, and a test can make it hang (answer nothing until it is closed), fail (answer a status),
 * or stop (refuse connections).
 */
final class StandIn implements AutoCloseable {

    /** A request as the stand-in received it; header names are case-insensitive. */
    record Received(String method, String path, String query, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name, "");
        }
    }

    private final String name;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger failWith = new AtomicInteger();
    private final AtomicInteger hanging = new AtomicInteger();
    private volatile boolean hang;
    private final ServiceHttp http;
    private volatile boolean stopped;

    private StandIn(String name, Consumer<Javalin> routes) {
        this.name = name;
        this.http = ServiceHttp.builder(name).routes(app -> {
            app.before(ctx -> {
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                ctx.headerMap().forEach(headers::put);
                received.add(new Received(ctx.method().name(), ctx.path(), ctx.queryString() == null ? "" : ctx.queryString(),
                        headers, ctx.body()));
                if (hang) {
                    hanging.incrementAndGet();
                    released.await();
                }
                int status = failWith.get();
                if (status != 0) {
                    throw new dev.keel.shop.platform.ProblemException(Problem.of(status, "stand-in-failure", "Stand-in failure",
                            name + " was told to fail with " + status));
                }
            });
            routes.accept(app);
        }).start();
    }

    static StandIn start(String name, Consumer<Javalin> routes) {
        return new StandIn(name, routes);
    }

    String name() {
        return name;
    }

    URI uri() {
        return URI.create(http.baseUrl());
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<Received> received(String path) {
        return received.stream().filter(request -> request.path().equals(path)).toList();
    }

    /** From now on every request waits, unanswered, until the stand-in is closed. */
    void hang() {
        hang = true;
    }

    /** How many requests are waiting in {@link #hang()}. */
    int hanging() {
        return hanging.get();
    }

    /** From now on every request is answered with this status (a problem detail). */
    void fail(int status) {
        failWith.set(status);
    }

    /** Stops serving: connections to its port are refused from now on. */
    void stop() {
        stopped = true;
        released.countDown();
        http.close();
    }

    @Override
    public void close() {
        released.countDown();
        if (!stopped) {
            http.close();
        }
    }
}
