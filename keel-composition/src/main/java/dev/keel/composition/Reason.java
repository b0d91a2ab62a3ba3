package dev.keel.composition;

import java.util.Locale;

/**
 * Why a part has no fresh value. On the wire a reason is its {@link #code()} ({@code "timeout"},
 * {@code "circuit_open"}, ...).
 */
public enum Reason {
    /** The downstream did not answer within the call timeout of its {@link DownstreamOptions}. */
    TIMEOUT,
    /** The composition's overall deadline passed before the part was complete. */
    DEADLINE,
    /** The downstream's circuit breaker is open: the call was not made. */
    CIRCUIT_OPEN,
    /** The downstream's bulkhead had no free slot: the call was not made. */
    BULKHEAD_FULL,
    /** Nothing accepted the connection. */
    CONNECTION_REFUSED,
    /** The connection failed in another way (reset, closed early, DNS). */
    IO_ERROR,
    /** The downstream answered with a status other than 2xx or 404; {@code httpStatus} says which. */
    ERROR_STATUS,
    /** The downstream answered 404: what was asked for does not exist. */
    NOT_FOUND,
    /** The downstream answered 2xx with a body that could not be decoded. */
    DECODE_ERROR,
    /** Building the request from the parts it depends on failed. */
    REQUEST_ERROR,
    /** A part this one depends on has no value, so this one could not be asked for. */
    DEPENDENCY_MISSING,
    /** Abandoned because a required part is missing and the composition as a whole failed. */
    CANCELLED;

    /** The wire form: the name in lower case, {@code circuit_open}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
