package dev.keel.shop.platform.messaging;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.keel.shop.platform.Health;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;

/**
 * Whether this instance's consumers are members of their Kafka groups: the readiness of an inbox
 * subscription, asked of the broker (a consumer whose poll loop died has left its group). Members are
 * recognised by the instance's client id. The admin client is made on the first check.
 */
final class ConsumerGroups implements AutoCloseable {

    private static final long TIMEOUT_MILLIS = 2_000;

    private final String bootstrap;
    private final String clientId;
    private Admin admin;
    private boolean closed;

    ConsumerGroups(String bootstrap, String clientId) {
        this.bootstrap = bootstrap;
        this.clientId = clientId;
    }

    Health.Check check(String group) {
        Admin client;
        synchronized (this) {
            if (closed) {
                return Health.Check.down("stopped");
            }
            if (admin == null) {
                admin = Admin.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-readiness",
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MILLIS,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MILLIS));
            }
            client = admin;
        }
        try {
            ConsumerGroupDescription description = client.describeConsumerGroups(List.of(group))
                    .describedGroups().get(group).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            boolean member = description.members().stream().anyMatch(m -> m.clientId().startsWith(clientId + "-"));
            return member
                    ? new Health.Check(true, "UP: member of group " + group + " (" + description.groupState() + ")")
                    : Health.Check.down("not (yet) a member of Kafka group " + group + " (" + description.groupState() + ")");
        } catch (ExecutionException e) {
            return Health.Check.down("cannot describe Kafka group " + group + ": " + e.getCause());
        } catch (TimeoutException e) {
            return Health.Check.down("Kafka did not describe group " + group + " within " + TIMEOUT_MILLIS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.Check.down("interrupted");
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(5));
        }
    }
}
