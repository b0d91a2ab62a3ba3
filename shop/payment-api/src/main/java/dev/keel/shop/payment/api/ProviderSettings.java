package dev.keel.shop.payment.api;

import dev.keel.core.Require;

/**
 * Body of {@code PUT /api/payments/provider}: how the simulated payment provider behaves.
 *
 * @param declineRate  share of charges declined, 0.0-1.0
 * @param latencyMillis time the provider takes per call
 * @param faultRate    share of calls that fail like a provider outage (retried; a timeout if it lasts)
 */
public record ProviderSettings(double declineRate, int latencyMillis, double faultRate) {

    public ProviderSettings {
        if (declineRate < 0 || declineRate > 1) {
            throw new IllegalArgumentException("declineRate must be between 0 and 1, got " + declineRate);
        }
        if (faultRate < 0 || faultRate > 1) {
            throw new IllegalArgumentException("faultRate must be between 0 and 1, got " + faultRate);
        }
        Require.atMost(latencyMillis, 60_000, "latencyMillis");
        if (latencyMillis < 0) {
            throw new IllegalArgumentException("latencyMillis must not be negative, got " + latencyMillis);
        }
    }
}
