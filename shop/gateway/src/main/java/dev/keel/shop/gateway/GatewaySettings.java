package dev.keel.shop.gateway;

import java.time.Duration;

import dev.keel.shop.platform.Settings;

/**
 * How the gateway calls the services, from the Shop's {@code --set} settings. Every value has a
 * default; a per-service value ({@code gateway.order-view.forwardTimeout=12s}) beats the general one
 * ({@code gateway.forwardTimeout=5s}).
 *
 * <table>
 *   <caption>settings</caption>
 *   <tr><td>{@code gateway.forwardTimeout}</td><td>5 s (order-view: 10 s, its queries may wait 5 s for a position)</td>
 *       <td>a forwarded {@code /api} request, headers and body</td></tr>
 *   <tr><td>{@code gateway.callTimeout}</td><td>1 s</td><td>one call of a composition (details, admin fan-out)</td></tr>
 *   <tr><td>{@code gateway.detailsDeadline}</td><td>2 s</td><td>all of {@code /api/orders/{id}/details}</td></tr>
 *   <tr><td>{@code gateway.adminDeadline}</td><td>3 s</td><td>an admin fan-out over every service</td></tr>
 *   <tr><td>{@code gateway.lastGoodMaxAge}</td><td>10 min</td><td>how old a last good customer or product may be to stand in</td></tr>
 *   <tr><td>{@code gateway.circuitBreaker.window}</td><td>20</td><td>calls the failure rate is taken over</td></tr>
 *   <tr><td>{@code gateway.circuitBreaker.minimumCalls}</td><td>10</td><td>calls before the rate counts</td></tr>
 *   <tr><td>{@code gateway.circuitBreaker.failureRate}</td><td>50</td><td>per cent of failed calls that open the circuit</td></tr>
 *   <tr><td>{@code gateway.circuitBreaker.openFor}</td><td>5 s</td><td>how long an open circuit refuses calls</td></tr>
 *   <tr><td>{@code gateway.maxBodyBytes}</td><td>64 KiB</td><td>largest request body; larger ones get 413</td></tr>
 * </table>
 */
public final class GatewaySettings {

    private static final String PREFIX = "gateway.";

    private final Settings settings;
    private final Duration callTimeout;
    private final Duration forwardTimeout;
    private final Duration detailsDeadline;
    private final Duration adminDeadline;
    private final Duration lastGoodMaxAge;
    private final int circuitWindow;
    private final int circuitMinimumCalls;
    private final int circuitFailureRate;
    private final Duration circuitOpenFor;
    private final int maxBodyBytes;

    public GatewaySettings(Settings settings) {
        this.settings = settings;
        this.callTimeout = positive("callTimeout", settings.duration(PREFIX + "callTimeout", Duration.ofSeconds(1)));
        this.forwardTimeout = positive("forwardTimeout", settings.duration(PREFIX + "forwardTimeout", Duration.ofSeconds(5)));
        this.detailsDeadline = positive("detailsDeadline", settings.duration(PREFIX + "detailsDeadline", Duration.ofSeconds(2)));
        this.adminDeadline = positive("adminDeadline", settings.duration(PREFIX + "adminDeadline", Duration.ofSeconds(3)));
        this.lastGoodMaxAge = positive("lastGoodMaxAge", settings.duration(PREFIX + "lastGoodMaxAge", Duration.ofMinutes(10)));
        this.circuitWindow = within("circuitBreaker.window", settings.integer(PREFIX + "circuitBreaker.window", 20), 1, 10_000);
        this.circuitMinimumCalls = within("circuitBreaker.minimumCalls",
                settings.integer(PREFIX + "circuitBreaker.minimumCalls", 10), 1, 10_000);
        this.circuitFailureRate = within("circuitBreaker.failureRate",
                settings.integer(PREFIX + "circuitBreaker.failureRate", 50), 1, 100);
        this.circuitOpenFor = positive("circuitBreaker.openFor",
                settings.duration(PREFIX + "circuitBreaker.openFor", Duration.ofSeconds(5)));
        this.maxBodyBytes = within("maxBodyBytes", settings.integer(PREFIX + "maxBodyBytes", 64 * 1024), 1024, 16 * 1024 * 1024);
    }

    /** How long a forwarded request to this service may take. */
    public Duration forwardTimeout(String service) {
        Duration fallback = service.equals("order-view") && settings.text(PREFIX + "forwardTimeout").isEmpty()
                ? Duration.ofSeconds(10)
                : forwardTimeout;
        return positive(service + ".forwardTimeout", settings.duration(PREFIX + service + ".forwardTimeout", fallback));
    }

    /** How long one call of a composition to this service may take. */
    public Duration callTimeout(String service) {
        return positive(service + ".callTimeout", settings.duration(PREFIX + service + ".callTimeout", callTimeout));
    }

    public Duration detailsDeadline() {
        return detailsDeadline;
    }

    public Duration adminDeadline() {
        return adminDeadline;
    }

    public Duration lastGoodMaxAge() {
        return lastGoodMaxAge;
    }

    public int circuitWindow() {
        return circuitWindow;
    }

    public int circuitMinimumCalls() {
        return circuitMinimumCalls;
    }

    public int circuitFailureRate() {
        return circuitFailureRate;
    }

    public Duration circuitOpenFor() {
        return circuitOpenFor;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    private static Duration positive(String name, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("setting " + PREFIX + name + " must be positive, got " + value);
        }
        return value;
    }

    private static int within(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("setting " + PREFIX + name + " must be from " + min + " to " + max + ", got " + value);
        }
        return value;
    }
}
