package dev.keel.shop.app;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keel.postgres.DatabaseProvisioning;
import dev.keel.shop.platform.RunningService;
import dev.keel.shop.platform.ServiceContext;
import dev.keel.shop.platform.ServiceDatabase;
import dev.keel.shop.platform.ServiceDirectory;
import dev.keel.shop.platform.ServiceSecrets;
import dev.keel.shop.platform.Settings;
import dev.keel.shop.platform.ShopService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Shop services on a PostgreSQL server and a Kafka cluster: gives each its database
 * {@code shop_<name>} and role {@code shop_<name>} (database per service, enforced by the server),
 * creates every topic the services name, then starts them in the order given and stops them in
 * reverse.
 */
public final class ShopRuntime implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ShopRuntime.class);

    /** How to reach the PostgreSQL server. */
    public interface Postgres {
        String jdbcUrl(String database);

        /** A data source connecting as an administrator (may create roles and databases). */
        DataSource admin(String database);
    }

    /** Creates Kafka topics that do not exist yet and returns once they accept writes. */
    @FunctionalInterface
    public interface Topics {
        void create(Collection<String> names);
    }

    private final List<RunningService> running;
    private final List<ServiceDatabase> databases;

    private ShopRuntime(List<RunningService> running, List<ServiceDatabase> databases) {
        this.running = running;
        this.databases = databases;
    }

    public static ShopRuntime start(Postgres postgres, String kafkaBootstrap, Topics topics, List<ShopService> services,
                                    Map<String, Integer> ports, ServiceDirectory directory, ServiceSecrets secrets,
                                    Settings settings, Clock clock) {
        Set<String> allTopics = new LinkedHashSet<>();
        services.forEach(service -> allTopics.addAll(service.topics()));
        if (!allTopics.isEmpty()) {
            topics.create(allTopics);
        }
        DatabaseProvisioning provisioning = new DatabaseProvisioning(postgres::admin);
        List<RunningService> running = new ArrayList<>();
        List<ServiceDatabase> databases = new ArrayList<>();
        ShopRuntime runtime = new ShopRuntime(running, databases);
        try {
            for (ShopService service : services) {
                String identifier = databaseName(service.name());
                String password = secrets.passwordFor(identifier);
                provisioning.createDatabaseWithOwner(identifier, identifier, password);
                ServiceDatabase database = new ServiceDatabase(identifier, identifier,
                        pool(postgres.jdbcUrl(identifier), identifier, password, settings.integer(service.name() + ".pool", 10)));
                databases.add(database);
                ServiceContext context = new ServiceContext(service.name(), ports.getOrDefault(service.name(), service.defaultPort()),
                        database, kafkaBootstrap, directory, clock, settings);
                long started = System.nanoTime();
                running.add(service.start(context));
                log.info("{} started in {} ms", service.name(), (System.nanoTime() - started) / 1_000_000);
            }
            return runtime;
        } catch (Exception e) {
            runtime.close();
            throw new IllegalStateException("the Shop did not start: " + e.getMessage(), e);
        }
    }

    /** {@code shop_<name>} with dashes as underscores: the service's database and role. */
    public static String databaseName(String service) {
        return "shop_" + service.replace('-', '_');
    }

    public List<RunningService> services() {
        return List.copyOf(running);
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (RuntimeException e) {
                log.warn("stopping {} failed", running.get(i).name(), e);
            }
        }
        running.clear();
        databases.forEach(ServiceDatabase::close);
        databases.clear();
    }

    private static HikariDataSource pool(String jdbcUrl, String role, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(role);
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setPoolName(role);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }
}
