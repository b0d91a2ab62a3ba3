package dev.keel.shop.platform.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keel.postgres.DatabaseProvisioning;
import dev.keel.shop.platform.RunningService;
import dev.keel.shop.platform.ServiceContext;
import dev.keel.shop.platform.ServiceDatabase;
import dev.keel.shop.platform.ServiceDirectory;
import dev.keel.shop.platform.Settings;
import dev.keel.shop.platform.ShopService;
import dev.keel.test.TestDatabase;
import dev.keel.test.TestKafka;

/**
 * A Shop service under test, started the way the launcher starts it: through
 * {@link ShopService#start} with a {@link ServiceContext} on port 0, its own database and role on the
 * test cluster, its topics created on the test broker. Each {@link #start()} is another instance on the
 * same database with a pool of its own, as a second process would be.
 *
 * <pre>{@code
 * ServiceFixture customers = ServiceFixture.of(new CustomerService(), db, kafka).set("customer.relay.leaseDuration", "3s");
 * ServiceFixture.Instance first = customers.start();
 * HttpResponse<String> created = first.http().post("/api/customers", "{\"name\":\"Ada\",\"email\":\"ada@example.com\"}");
 * }</pre>
 */
public final class ServiceFixture implements AutoCloseable {

    private static final String PASSWORD = "test-password-of-the-service-role";

    private final ShopService service;
    private final TestDatabase db;
    private final TestKafka kafka;
    private final String database;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<Instance> instances = new ArrayList<>();
    private boolean provisioned;

    private ServiceFixture(ShopService service, TestDatabase db, TestKafka kafka) {
        this.service = service;
        this.db = db;
        this.kafka = kafka;
        this.database = (db.name() + "_" + service.name().replace('-', '_')).toLowerCase(java.util.Locale.ROOT);
    }

    public static ServiceFixture of(ShopService service, TestDatabase db, TestKafka kafka) {
        return new ServiceFixture(service, db, kafka);
    }

    /** A setting every instance started from now on gets ({@code --set name=value}). */
    public ServiceFixture set(String name, String value) {
        settings.put(name, value);
        return this;
    }

    /** Starts another instance of the service on its database. */
    public synchronized Instance start() throws Exception {
        ServiceContext context = newContext();
        try {
            RunningService running = service.start(context);
            Instance instance = new Instance(running, context.database());
            instances.add(instance);
            return instance;
        } catch (Exception | Error e) {
            context.database().close();
            throw e;
        }
    }

    /**
     * What the launcher would give the service: its database (a new pool, as the service's role), the
     * test broker, port 0. For tests of the chassis itself; close the database when done.
     */
    public synchronized ServiceContext newContext() {
        provision();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.server().jdbcUrl(database));
        config.setUsername(database);
        config.setPassword(PASSWORD);
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(1);
        config.setPoolName(database + "-" + (instances.size() + 1));
        config.setConnectionTimeout(10_000);
        ServiceDatabase serviceDatabase = new ServiceDatabase(database, database, new HikariDataSource(config));
        return new ServiceContext(service.name(), 0, serviceDatabase, kafka.bootstrapServers(),
                new ServiceDirectory(Map.of(service.name(), URI.create("http://localhost:" + service.defaultPort()))),
                Clock.systemUTC(), new Settings(settings));
    }

    /** The service's database as the superuser, for a test to look at what the service wrote. */
    public DataSource dataSource() {
        provision();
        return db.server().superuserDataSource(database);
    }

    public String databaseName() {
        return database;
    }

    private void provision() {
        if (provisioned) {
            return;
        }
        new DatabaseProvisioning(db.server()::superuserDataSource).createDatabaseWithOwner(database, database, PASSWORD);
        if (!service.topics().isEmpty()) {
            kafka.broker().createTopics(4, service.topics());
        }
        provisioned = true;
    }

    /** Stops every instance still running, then drops the service's database and role. */
    @Override
    public synchronized void close() {
        for (int i = instances.size() - 1; i >= 0; i--) {
            instances.get(i).close();
        }
        instances.clear();
        if (provisioned) {
            db.server().dropDatabase(database);
            try (Connection connection = db.server().superuserDataSource("postgres").getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP ROLE IF EXISTS " + database);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot drop role " + database, e);
            }
            provisioned = false;
        }
    }

    /** One running instance: the service, then its pool, are closed by {@link #close()}. */
    public static final class Instance implements RunningService {
        private final RunningService running;
        private final ServiceDatabase database;
        private final HttpCalls http;
        private boolean closed;

        private Instance(RunningService running, ServiceDatabase database) {
            this.running = running;
            this.database = database;
            this.http = new HttpCalls(running.baseUrl());
        }

        @Override
        public String name() {
            return running.name();
        }

        @Override
        public String baseUrl() {
            return running.baseUrl();
        }

        public HttpCalls http() {
            return http;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            running.close();
            database.close();
        }
    }
}
