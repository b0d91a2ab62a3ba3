package dev.keel.shop.gateway;

import java.time.Duration;

import dev.keel.shop.platform.Problem;

/**
 * The problems the gateway itself answers with when a service cannot, each named after its cause and
 * naming the service, so that a client (or an operator reading the dashboard) knows which one to look at.
 */
public final class GatewayProblems {

    private GatewayProblems() {
    }

    /** 503: the service refused the connection, or cannot be asked at all. */
    public static Problem unavailable(String service, String call, String why) {
        return Problem.of(503, "service-unavailable", "Service unavailable",
                "the " + service + " service could not take " + call + ": " + why);
    }

    /** 503: the service's circuit breaker is open; the gateway did not call it. */
    public static Problem circuitOpen(String service, String call, Duration openFor) {
        return Problem.of(503, "service-unavailable", "Service unavailable",
                "the " + service + " service failed repeatedly, so its circuit breaker is open and the gateway did not pass on "
                        + call + "; it lets calls through again after " + seconds(openFor));
    }

    /** 504: the service did not answer in time; for a request that changes something, its effect is unknown. */
    public static Problem timeout(String service, String call, Duration timeout, boolean safe) {
        return Problem.of(504, "service-timeout", "Service timed out",
                "the " + service + " service did not answer " + call + " within " + timeout.toMillis() + " ms"
                        + (safe ? "" : "; the request may or may not have taken effect: send it again with the same Idempotency-Key"));
    }

    /** 502: the exchange with the service broke, or it answered something the gateway cannot use. */
    public static Problem badGateway(String service, String call, String why, boolean safe) {
        return Problem.of(502, "bad-gateway", "Bad gateway",
                "the exchange with the " + service + " service for " + call + " failed: " + why
                        + (safe ? "" : "; the request may or may not have taken effect: send it again with the same Idempotency-Key"));
    }

    private static String seconds(Duration duration) {
        long seconds = Math.max(1, (duration.toMillis() + 999) / 1000);
        return seconds + (seconds == 1 ? " second" : " seconds");
    }
}
