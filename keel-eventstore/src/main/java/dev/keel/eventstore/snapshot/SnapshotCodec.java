package dev.keel.eventstore.snapshot;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keel.core.json.JsonCodec;
import dev.keel.eventstore.codec.Upcasters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a state into a {@link Snapshot} and back. The state type has a name and a schema version like
 * an event; upcasters lift snapshots of older versions. A snapshot that cannot be used — an older
 * version without upcasters, a newer version, JSON that does not fit — decodes to nothing, and the
 * state is rebuilt from the events instead: a snapshot can make loading faster, never wrong.
 *
 * <pre>{@code
 * SnapshotCodec<Cart> carts = SnapshotCodec.of("shop.cart.Cart", 2, Cart.class)
 *         .withUpcasters(Upcasters.builder().add("shop.cart.Cart", 1, v1 -> v1.put("currency", "EUR")).build());
 * }</pre>
 */
public final class SnapshotCodec<S> {

    private static final Logger log = LoggerFactory.getLogger(SnapshotCodec.class);

    private final String stateType;
    private final int schemaVersion;
    private final Class<S> javaType;
    private final Upcasters upcasters;
    private final JsonCodec json;

    private SnapshotCodec(String stateType, int schemaVersion, Class<S> javaType, Upcasters upcasters, JsonCodec json) {
        if (stateType == null || stateType.isBlank()) {
            throw new IllegalArgumentException("a snapshot codec needs a state type name");
        }
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("a state's schema version is 1 or more, got " + schemaVersion);
        }
        this.stateType = stateType;
        this.schemaVersion = schemaVersion;
        this.javaType = Objects.requireNonNull(javaType, "javaType");
        this.upcasters = Objects.requireNonNull(upcasters, "upcasters");
        this.json = Objects.requireNonNull(json, "json");
    }

    public static <S> SnapshotCodec<S> of(String stateType, int schemaVersion, Class<S> javaType) {
        return new SnapshotCodec<>(stateType, schemaVersion, javaType, Upcasters.none(), JsonCodec.tolerant());
    }

    public SnapshotCodec<S> withUpcasters(Upcasters newUpcasters) {
        return new SnapshotCodec<>(stateType, schemaVersion, javaType, newUpcasters, json);
    }

    public SnapshotCodec<S> withJson(JsonCodec codec) {
        return new SnapshotCodec<>(stateType, schemaVersion, javaType, upcasters, codec);
    }

    public String stateType() {
        return stateType;
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    public Snapshot encode(String streamId, long streamVersion, S state, Instant takenAt) {
        return new Snapshot(streamId, streamVersion, stateType, schemaVersion, json.toJson(state), takenAt);
    }

    /** The state of a snapshot, or nothing if this code cannot use it (it then logs why). */
    public Optional<S> decode(Snapshot snapshot) {
        if (!snapshot.stateType().equals(stateType)) {
            return Optional.empty();
        }
        if (snapshot.schemaVersion() > schemaVersion) {
            log.info("ignoring the snapshot of {} at version {}: state schema {} is newer than this code's {}",
                    snapshot.streamId(), snapshot.streamVersion(), snapshot.schemaVersion(), schemaVersion);
            return Optional.empty();
        }
        if (!upcasters.canLift(stateType, snapshot.schemaVersion(), schemaVersion)) {
            log.info("ignoring the snapshot of {} at version {}: no upcasters lift state schema {} to {}",
                    snapshot.streamId(), snapshot.streamVersion(), snapshot.schemaVersion(), schemaVersion);
            return Optional.empty();
        }
        try {
            if (snapshot.schemaVersion() == schemaVersion) {
                return Optional.of(json.fromJson(snapshot.state(), javaType));
            }
            JsonNode tree = json.readTree(snapshot.state());
            if (!(tree instanceof ObjectNode object)) {
                return Optional.empty();
            }
            return Optional.of(json.fromTree(upcasters.lift(stateType, snapshot.schemaVersion(), schemaVersion, object), javaType));
        } catch (RuntimeException e) {
            log.warn("ignoring the snapshot of {} at version {}: it cannot be read ({})", snapshot.streamId(),
                    snapshot.streamVersion(), e.getMessage());
            return Optional.empty();
        }
    }
}
