package dev.keel.shop.platform;

import java.time.Clock;

/**
 * What the launcher gives a service when it starts it.
 *
 * @param name           the service's name
 * @param port           its HTTP port (0: any free one)
 * @param database       its own database, as its own role
 * @param kafkaBootstrap Kafka's {@code bootstrap.servers}
 * @param directory      where every service answers HTTP
 * @param clock          the clock to use (the system clock, or a manual one in tests)
 * @param settings       the Shop's settings
 */
public record ServiceContext(String name, int port, ServiceDatabase database, String kafkaBootstrap,
                             ServiceDirectory directory, Clock clock, Settings settings) {
}
