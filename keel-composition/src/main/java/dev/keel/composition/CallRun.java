package dev.keel.composition;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call of one composition run: looks in the cache, calls the downstream, decodes, stores good
 * answers and applies the fallback. Its result is completed exactly once — by its own thread, or by
 * the composition when the deadline passes or the composition is abandoned, whichever comes first —
 * and the metrics of the call are recorded by whoever completes it.
 */
final class CallRun<E> {

    private static final Logger LOG = LoggerFactory.getLogger(CallRun.class);
    private static final ByteBuffer NO_BODY = ByteBuffer.allocate(0);

    private final Request<E> request;
    private final RunScope scope;
    private final Downstream downstream;
    private final Optional<byte[]> body;
    private final ResponseStore.Key key;
    private final CompletableFuture<PartResult<E>> result = new CompletableFuture<>();

    /** Encodes the body at once, so that a body that cannot be written fails the part's planning. */
    CallRun(Request<E> request, RunScope scope) {
        this.request = request;
        this.scope = scope;
        this.downstream = request.downstream();
        this.body = request.body().map(value -> scope.codec().toBytes(value));
        this.key = new ResponseStore.Key(request.method(), request.uri(), body.map(ByteBuffer::wrap).orElse(NO_BODY));
    }

    Request<E> request() {
        return request;
    }

    CompletableFuture<PartResult<E>> result() {
        return result;
    }

    /** Runs the call on the current thread; InterruptedException when the composition abandoned it. */
    void execute() throws InterruptedException {
        finish(fetch());
    }

    /** The deadline passed: the fallback's answer, unless the call finished first. */
    PartResult<E> settleAtDeadline() {
        finish(fallbackFor(Failure.deadline(downstream.name(), request.describe(), scope.deadline())));
        return result.join();
    }

    /** The composition failed: missing, unless the call finished first. */
    PartResult<E> abandon(Failure cancelled) {
        finish(new PartResult.Missing<>(cancelled));
        return result.join();
    }

    private PartResult<E> fetch() throws InterruptedException {
        Optional<PartResult<E>> cached = fromCache();
        if (cached.isPresent()) {
            return cached.get();
        }
        Downstream.Outcome outcome = downstream.exchange(request, body, scope.context(), scope.deadlineNanos(), scope.deadline());
        return switch (outcome) {
            case Downstream.Failed failed -> fallbackFor(failed.failure());
            case Downstream.Answered answered when answered.status() == 404 -> request.notFoundValue()
                    .<PartResult<E>>map(PartResult.Complete::new)
                    .orElseGet(() -> new PartResult.Missing<>(Failure.notFound(downstream.name(), request.describe())));
            case Downstream.Answered answered -> decodeFresh(answered.body());
        };
    }

    private Optional<PartResult<E>> fromCache() {
        if (!request.isIdempotent() || downstream.cache().isEmpty()) {
            return Optional.empty();
        }
        ResponseStore cache = downstream.cache().get();
        Duration ttl = downstream.options().cache().orElseThrow().ttl();
        Optional<ResponseStore.Stored> entry = cache.get(key);
        if (entry.isPresent()) {
            Duration age = ageOf(entry.get().fetchedAt());
            if (age.compareTo(ttl) < 0) {
                try {
                    E value = decode(entry.get().body());
                    downstream.metrics().cacheHit();
                    return Optional.of(new PartResult.Cached<>(value, age));
                } catch (Exception undecodable) {
                    // cached by a request that decoded it differently: fetch afresh
                    cache.remove(key);
                }
            } else {
                cache.remove(key);
            }
        }
        downstream.metrics().cacheMiss();
        return Optional.empty();
    }

    private PartResult<E> decodeFresh(byte[] answer) {
        E value;
        try {
            value = decode(answer);
        } catch (Exception undecodable) {
            LOG.warn("{}: {}", request, undecodable.getMessage());
            return new PartResult.Missing<>(Failure.decodeError(downstream.name(), request.describe(), undecodable));
        }
        if (request.isIdempotent() && downstream.cache().isPresent()) {
            downstream.cache().get().put(key, new ResponseStore.Stored(answer, downstream.clock().instant()));
        }
        if (request.fallback().usesLastGood()) {
            downstream.lastGood().put(key, new ResponseStore.Stored(answer, downstream.clock().instant()));
        }
        return new PartResult.Complete<>(value);
    }

    private PartResult<E> fallbackFor(Failure failure) {
        if (!failure.isTransient()) {
            return new PartResult.Missing<>(failure);
        }
        Fallback<E> fallback = request.fallback();
        if (fallback.usesLastGood()) {
            Optional<ResponseStore.Stored> entry = downstream.lastGood().get(key);
            if (entry.isPresent()) {
                Duration age = ageOf(entry.get().fetchedAt());
                if (age.compareTo(fallback.lastGoodMaxAge().orElseThrow()) <= 0) {
                    try {
                        return new PartResult.Stale<>(decode(entry.get().body()), age, failure);
                    } catch (Exception undecodable) {
                        downstream.lastGood().remove(key);
                    }
                }
            }
        }
        return fallback.defaultValue().<PartResult<E>>map(value -> new PartResult.Default<>(value, failure))
                .orElseGet(() -> new PartResult.Missing<>(failure));
    }

    private E decode(byte[] answer) throws Exception {
        E value = request.decoder().decode(answer, scope.codec());
        if (value == null) {
            throw new IllegalStateException("the decoder returned null");
        }
        return value;
    }

    private Duration ageOf(Instant fetchedAt) {
        Duration age = Duration.between(fetchedAt, downstream.clock().instant());
        return age.isNegative() ? Duration.ZERO : age;
    }

    private void finish(PartResult<E> outcome) {
        if (!result.complete(outcome)) {
            return;
        }
        DownstreamMetrics metrics = downstream.metrics();
        switch (outcome) {
            case PartResult.Complete<E> complete -> {
            }
            case PartResult.Cached<E> cached -> {
            }
            case PartResult.Stale<E> stale -> {
                metrics.failed(stale.failure().reason());
                metrics.staleFallback();
            }
            case PartResult.Default<E> defaulted -> {
                metrics.failed(defaulted.failure().reason());
                metrics.defaultFallback();
            }
            case PartResult.Missing<E> missing -> metrics.failed(missing.failure().reason());
        }
    }
}
