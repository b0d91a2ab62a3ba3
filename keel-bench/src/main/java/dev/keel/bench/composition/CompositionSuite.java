package dev.keel.bench.composition;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpServer;
import dev.keel.bench.BenchContext;
import dev.keel.bench.Result;
import dev.keel.bench.Suite;
import dev.keel.composition.CallContext;
import dev.keel.composition.Composed;
import dev.keel.composition.Composer;
import dev.keel.composition.Composition;
import dev.keel.composition.Downstream;
import dev.keel.composition.Request;
import org.HdrHistogram.Histogram;

/**
 * The cost of composing: one client composes four downstream calls in parallel, again and again, and
 * each composition's latency is compared with what the same run measures for the raw work — the
 * slowest downstream called alone with a bare {@link HttpClient}, and the four calls fanned out by hand
 * with {@code sendAsync}. The composition also decodes each answer (JSON, ~100 bytes) and keeps its
 * circuit breakers and meters; that is part of its cost.
 *
 * <p>Two shapes: downstreams that answer after 1, 2, 3 and 5 ms (the slowest dominates, as in a real
 * gateway), and four that answer at once (the overhead alone). The three measurements take turns in
 * every round, so drifting machine load touches them alike. p50 and p99 are over all rounds of the
 * measured iterations; {@code overhead} is the composition's percentile minus the bare slowest call's.
 */
public final class CompositionSuite implements Suite {

    private static final String BODY = "{\"id\":\"p-1\",\"name\":\"Kettle\",\"price\":25.50,\"stock\":12,\"tags\":[\"kitchen\",\"tea\"]}";

    record Item(String id, String name, java.math.BigDecimal price, int stock, List<String> tags) {
    }

    @Override
    public String name() {
        return "composition";
    }

    @Override
    public String description() {
        return "latency of composing 4 parallel HTTP calls against the slowest bare call and a hand-written fan-out";
    }

    @Override
    public void run(BenchContext context) throws Exception {
        measure(context, "delayed-1-2-3-5ms", new long[] {1, 2, 3, 5});
        measure(context, "immediate", new long[] {0, 0, 0, 0});
    }

    private void measure(BenchContext context, String shape, long[] delaysMillis) throws Exception {
        List<HttpServer> servers = new ArrayList<>();
        ExecutorService serverThreads = Executors.newVirtualThreadPerTaskExecutor();
        HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (Composer composer = Composer.builder().build()) {
            List<Downstream> downstreams = new ArrayList<>();
            List<URI> uris = new ArrayList<>();
            for (int i = 0; i < delaysMillis.length; i++) {
                HttpServer server = server(delaysMillis[i], serverThreads);
                servers.add(server);
                URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
                downstreams.add(composer.downstream("service-" + i, base));
                uris.add(base.resolve("/items/p-1"));
            }
            URI slowest = uris.getLast();

            Histogram bareSlowest = new Histogram(3);
            Histogram bareFanOut = new Histogram(3);
            Histogram composed = new Histogram(3);
            var measure = context.measure();
            long iterationNanos = measure.iterationTime().toNanos();
            int warmups = measure.warmups();
            for (int iteration = 0; iteration < warmups + measure.iterations(); iteration++) {
                boolean recording = iteration >= warmups;
                long end = System.nanoTime() + iterationNanos;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    callBare(bare, slowest);
                    long t1 = System.nanoTime();
                    fanOutBare(bare, uris);
                    long t2 = System.nanoTime();
                    compose(composer, downstreams);
                    long t3 = System.nanoTime();
                    if (recording) {
                        bareSlowest.recordValue((t1 - t0) / 1_000);
                        bareFanOut.recordValue((t2 - t1) / 1_000);
                        composed.recordValue((t3 - t2) / 1_000);
                    }
                }
            }

            String prefix = "composition." + shape + ".";
            for (double percentile : new double[] {50, 99}) {
                String p = "p" + (int) percentile;
                Result slowestLimit = Result.limit(prefix + "bare-slowest-call." + p, millis(bareSlowest, percentile), "ms");
                Result fanOutLimit = Result.limit(prefix + "bare-4-call-fan-out." + p, millis(bareFanOut, percentile), "ms");
                context.record(slowestLimit);
                context.record(fanOutLimit);
                double composition = millis(composed, percentile);
                context.recordAgainst(prefix + "composed-4-calls." + p, composition, "ms", slowestLimit);
                context.recordAgainst(prefix + "overhead-over-slowest." + p, composition - slowestLimit.value(), "ms", slowestLimit);
                context.recordAgainst(prefix + "overhead-over-fan-out." + p, composition - fanOutLimit.value(), "ms", fanOutLimit);
            }
            System.out.printf("  (%s: %,d measured rounds)%n", shape, composed.getTotalCount());
        } finally {
            bare.shutdownNow();
            servers.forEach(server -> server.stop(0));
            serverThreads.shutdownNow();
        }
    }

    private static void callBare(HttpClient client, URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("downstream answered " + response.statusCode());
        }
    }

    private static void fanOutBare(HttpClient client, List<URI> uris) {
        CompletableFuture<?>[] calls = uris.stream()
                .map(uri -> client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray()))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(calls).join();
    }

    private static void compose(Composer composer, List<Downstream> downstreams) {
        Composition composition = composer.composition(CallContext.newFlow(), Duration.ofSeconds(5));
        for (int i = 0; i < downstreams.size(); i++) {
            composition.part("part" + i, Request.get(downstreams.get(i), "/items/{}", "p-1").json(Item.class));
        }
        Composed result = composition.run();
        if (!result.isComplete()) {
            throw new IllegalStateException("a composition in the benchmark was not complete: " + result.parts());
        }
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1_000.0;
    }

    private static HttpServer server(long delayMillis, ExecutorService threads) throws IOException {
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(threads);
        server.createContext("/items/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                if (delayMillis > 0) {
                    LockSupport.parkNanos(Duration.ofMillis(delayMillis).toNanos());
                }
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return server;
    }
}
