package dev.keel.shop.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import dev.keel.embedded.Durability;
import dev.keel.embedded.EmbeddedKafka;
import dev.keel.embedded.EmbeddedPostgres;
import dev.keel.shop.platform.RunningService;
import dev.keel.shop.platform.ServiceDirectory;
import dev.keel.shop.platform.ServiceSecrets;
import dev.keel.shop.platform.Settings;
import dev.keel.shop.platform.ShopService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The README's run command ({@code shop/run}). Starts PostgreSQL and Kafka (embedded and durable, with
 * their data in {@code .keel-data}, or external ones), then every Shop service found on the class path
 * (or only the one named with {@code --service}), prints where they answer and stays up until Ctrl-C.
 */
public final class ShopLauncher {

    /** Start order; the gateway last, since it fronts the others. */
    private static final List<String> ORDER = List.of("customer", "product", "inventory", "payment", "shipping",
            "order", "order-view", "gateway");

    private ShopLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
            System.out.print(LauncherOptions.USAGE);
            return;
        }
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("shop/run: " + e.getMessage());
            System.err.print(LauncherOptions.USAGE);
            System.exit(2);
            return;
        }
        List<ShopService> services = servicesToRun(options);
        List<AutoCloseable> running = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping...");
            for (int i = running.size() - 1; i >= 0; i--) {
                try {
                    running.get(i).close();
                } catch (Exception e) {
                    System.err.println("while stopping: " + e);
                }
            }
            stopped.countDown();
        }, "shop-shutdown"));

        if (options.reset()) {
            if (options.service().isPresent()) {
                throw new IllegalArgumentException("--reset wipes the data of the process that runs the servers; not with --service");
            }
            deleteTree(options.dataDirectory());
        }
        boolean embedded = options.service().isEmpty();
        ShopRuntime.Postgres postgres;
        String postgresAddress;
        if (options.externalPostgres().isPresent() || !embedded) {
            var external = options.externalPostgres().orElse(new LauncherOptions.ExternalPostgres(
                    "jdbc:postgresql://localhost:" + options.postgresPort() + "/postgres", "postgres", ""));
            postgresAddress = external.jdbcUrl() + " (user " + external.user() + ", " + probePostgres(external) + ")";
            postgres = externalPostgres(external);
        } else {
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .dataDirectory(options.dataDirectory().resolve("postgres"))
                    .port(options.postgresPort())
                    .durability(Durability.DURABLE)
                    .start();
            running.add(server);
            postgresAddress = server.jdbcUrl("postgres") + " (embedded, fsync=" + server.setting("fsync")
                    + ", synchronous_commit=" + server.setting("synchronous_commit") + ", data in " + server.dataDirectory() + ")";
            postgres = embeddedPostgres(server);
        }
        String kafkaBootstrap;
        String kafkaAddress;
        if (options.externalKafka().isPresent() || !embedded) {
            kafkaBootstrap = options.externalKafka().orElse("localhost:" + options.kafkaPort());
            kafkaAddress = kafkaBootstrap + " (" + probeKafka(kafkaBootstrap) + ")";
        } else {
            EmbeddedKafka kafka = EmbeddedKafka.builder()
                    .dataDirectory(options.dataDirectory().resolve("kafka"))
                    .port(options.kafkaPort())
                    .defaultPartitions(4)
                    .start();
            running.add(kafka);
            kafkaBootstrap = kafka.bootstrapServers();
            kafkaAddress = kafkaBootstrap + " (embedded, data in " + kafka.logDirectory() + ")";
        }

        ServiceDirectory directory = directory(options);
        Map<String, Integer> ports = new LinkedHashMap<>();
        options.service().ifPresent(name -> options.port().ifPresent(port -> ports.put(name, port)));
        String bootstrap = kafkaBootstrap;
        ShopRuntime runtime = ShopRuntime.start(postgres, kafkaBootstrap,
                names -> EmbeddedKafka.createTopics(bootstrap, 4, names), services, ports, directory,
                ServiceSecrets.fromEnvironmentOrFile(options.dataDirectory()), new Settings(options.settings()), Clock.systemUTC());
        running.add(runtime);

        System.out.println();
        System.out.println("The Shop is up.");
        System.out.println("  PostgreSQL  " + postgresAddress);
        System.out.println("  Kafka       " + kafkaAddress);
        if (runtime.services().isEmpty()) {
            System.out.println("  (no services are on the class path)");
        }
        for (RunningService service : runtime.services()) {
            System.out.printf("  %-11s %s%n", service.name(), service.baseUrl());
        }
        runtime.services().stream().filter(s -> s.name().equals("gateway")).findFirst()
                .ifPresent(gateway -> System.out.println("\nOpen " + gateway.baseUrl() + "/ for the dashboard; the API is under "
                        + gateway.baseUrl() + "/api (OpenAPI: " + gateway.baseUrl() + "/openapi.json)."));
        System.out.println("Press Ctrl-C to stop; data is kept (start with --reset to wipe it).");
        stopped.await();
    }

    static List<ShopService> servicesToRun(LauncherOptions options) {
        List<ShopService> found = new ArrayList<>();
        ServiceLoader.load(ShopService.class).forEach(found::add);
        found.sort(Comparator.comparingInt(service -> {
            int index = ORDER.indexOf(service.name());
            return index < 0 ? ORDER.size() - 1 : index;
        }));
        if (options.service().isEmpty()) {
            return found;
        }
        String wanted = options.service().get();
        return found.stream().filter(service -> service.name().equals(wanted)).findFirst().map(List::of)
                .orElseThrow(() -> new IllegalArgumentException("no service named '" + wanted + "'; there are "
                        + found.stream().map(ShopService::name).toList()));
    }

    private static ServiceDirectory directory(LauncherOptions options) {
        Map<String, URI> urls = new LinkedHashMap<>();
        ServiceLoader.load(ShopService.class).forEach(service ->
                urls.put(service.name(), URI.create("http://localhost:" + service.defaultPort())));
        urls.putAll(options.peers());
        options.service().ifPresent(name -> options.port().ifPresent(port -> urls.put(name, URI.create("http://localhost:" + port))));
        return new ServiceDirectory(urls);
    }

    private static ShopRuntime.Postgres embeddedPostgres(EmbeddedPostgres server) {
        return new ShopRuntime.Postgres() {
            @Override
            public String jdbcUrl(String database) {
                return server.jdbcUrl(database);
            }

            @Override
            public DataSource admin(String database) {
                return server.superuserDataSource(database);
            }
        };
    }

    private static ShopRuntime.Postgres externalPostgres(LauncherOptions.ExternalPostgres external) {
        String url = external.jdbcUrl();
        int slash = url.indexOf('/', "jdbc:postgresql://".length());
        String server = slash < 0 ? url : url.substring(0, slash);
        return new ShopRuntime.Postgres() {
            @Override
            public String jdbcUrl(String database) {
                return server + "/" + database;
            }

            @Override
            public DataSource admin(String database) {
                PGSimpleDataSource dataSource = new PGSimpleDataSource();
                dataSource.setURL(jdbcUrl(database));
                dataSource.setUser(external.user());
                dataSource.setPassword(external.password());
                return dataSource;
            }
        };
    }

    private static String probePostgres(LauncherOptions.ExternalPostgres external) {
        try (Connection connection = DriverManager.getConnection(external.jdbcUrl(), external.user(), external.password());
             ResultSet rows = connection.createStatement().executeQuery("SHOW server_version")) {
            rows.next();
            return "PostgreSQL " + rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach PostgreSQL at " + external.jdbcUrl() + " as " + external.user()
                    + ": " + e.getMessage() + " (with --service, start the servers first with shop/run in another terminal,"
                    + " or give --postgres-url)", e);
        }
    }

    private static String probeKafka(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            int nodes = admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).size();
            return nodes + " broker" + (nodes == 1 ? "" : "s");
        } catch (Exception e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
