package dev.keel.shop.gateway.admin;

import java.util.Map;
import java.util.Optional;

/**
 * One service's health as the gateway saw it just now.
 *
 * @param name           the service
 * @param url            where it answers
 * @param status         {@code UP} (ready), {@code DOWN} (answers, but a readiness check fails) or
 *                       {@code UNREACHABLE} (no answer in time)
 * @param checks         its readiness checks and their results, when it answered
 * @param detail         why it is not up
 * @param circuitBreaker the state of the gateway's circuit breaker for it: {@code CLOSED}, {@code OPEN},
 *                       {@code HALF_OPEN}, ... ({@code NONE} for the gateway itself)
 */
public record ServiceHealth(String name, String url, String status, Map<String, String> checks, Optional<String> detail,
                            String circuitBreaker) {
}
