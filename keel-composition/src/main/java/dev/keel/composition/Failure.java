package dev.keel.composition;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Why a part could not be fetched fresh: the reason, a sentence for people, the HTTP status when the
 * downstream answered with one, and whether trying again later may help.
 *
 * @param reason      what went wrong
 * @param detail      one sentence naming the downstream and the call; it never contains a host name
 * @param httpStatus  the downstream's status for {@link Reason#ERROR_STATUS} and {@link Reason#NOT_FOUND}
 * @param isTransient whether the same call may succeed later (a timeout may, a 404 will not)
 */
public record Failure(Reason reason, String detail, OptionalInt httpStatus, boolean isTransient) {

    public Failure {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(httpStatus, "httpStatus");
    }

    static Failure timeout(String downstream, String call, Duration callTimeout) {
        return new Failure(Reason.TIMEOUT, downstream + " did not answer " + call + " within its call timeout of "
                + millis(callTimeout), OptionalInt.empty(), true);
    }

    static Failure deadline(Duration deadline) {
        return new Failure(Reason.DEADLINE, "the composition's deadline of " + millis(deadline)
                + " passed before this part was complete", OptionalInt.empty(), true);
    }

    static Failure deadline(String downstream, String call, Duration deadline) {
        return new Failure(Reason.DEADLINE, "the composition's deadline of " + millis(deadline) + " passed before "
                + downstream + " answered " + call, OptionalInt.empty(), true);
    }

    static Failure circuitOpen(String downstream) {
        return new Failure(Reason.CIRCUIT_OPEN, "the circuit breaker of " + downstream
                + " is open; the call was not made", OptionalInt.empty(), true);
    }

    static Failure bulkheadFull(String downstream, int maxConcurrentCalls) {
        return new Failure(Reason.BULKHEAD_FULL, downstream + " already has " + maxConcurrentCalls
                + " calls in flight (bulkhead full); the call was not made", OptionalInt.empty(), true);
    }

    static Failure connectionRefused(String downstream, String call) {
        return new Failure(Reason.CONNECTION_REFUSED, downstream + " refused the connection for " + call,
                OptionalInt.empty(), true);
    }

    static Failure ioError(String downstream, String call, Throwable cause) {
        return new Failure(Reason.IO_ERROR, "the connection to " + downstream + " failed during " + call + ": "
                + describe(cause), OptionalInt.empty(), true);
    }

    static Failure errorStatus(String downstream, String call, int status) {
        return new Failure(Reason.ERROR_STATUS, downstream + " answered " + call + " with HTTP " + status,
                OptionalInt.of(status), isTransientStatus(status));
    }

    static Failure notFound(String downstream, String call) {
        return new Failure(Reason.NOT_FOUND, downstream + " answered " + call + " with HTTP 404",
                OptionalInt.of(404), false);
    }

    static Failure decodeError(String downstream, String call, Throwable cause) {
        return new Failure(Reason.DECODE_ERROR, "the answer of " + downstream + " to " + call
                + " could not be decoded: " + describe(cause), OptionalInt.empty(), false);
    }

    static Failure requestError(Throwable cause) {
        return new Failure(Reason.REQUEST_ERROR, "building the request failed: " + describe(cause),
                OptionalInt.empty(), false);
    }

    static Failure dependencyMissing(String dependency, Failure dependencyFailure) {
        return new Failure(Reason.DEPENDENCY_MISSING, "needs part '" + dependency + "', which is missing ("
                + dependencyFailure.reason().code() + ")", OptionalInt.empty(), dependencyFailure.isTransient());
    }

    static Failure cancelled(String requiredPart, Failure requiredFailure) {
        return new Failure(Reason.CANCELLED, "abandoned because the required part '" + requiredPart
                + "' is missing (" + requiredFailure.reason().code() + ")", OptionalInt.empty(), true);
    }

    /** Statuses after which the same request may succeed later: a GET that got one may be retried. */
    static boolean isTransientStatus(int status) {
        return status == 408 || status == 425 || status == 429 || status == 500 || status == 502 || status == 503
                || status == 504;
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + " ms";
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
    }
}
