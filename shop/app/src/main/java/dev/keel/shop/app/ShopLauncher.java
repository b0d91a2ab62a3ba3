package dev.keel.shop.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.keel.embedded.Durability;
import dev.keel.embedded.EmbeddedKafka;
import dev.keel.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The README's run command ({@code shop/run}). Starts PostgreSQL and Kafka (embedded, durable, with their
 * data in {@code .keel-data}, or external ones), prints where they are and stays up until Ctrl-C.
 * The Shop's services join this process as they are built.
 */
public final class ShopLauncher {

    private ShopLauncher() {
    }

    public static void main(String[] args) throws Exception {
        LauncherOptions options;
        try {
            options = LauncherOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (args.length > 0 && (args[0].equals("-h") || args[0].equals("--help"))) {
                System.out.print(LauncherOptions.USAGE);
                return;
            }
            System.err.println("shop/run: " + e.getMessage());
            System.err.print(LauncherOptions.USAGE);
            System.exit(2);
            return;
        }
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
            deleteTree(options.dataDirectory());
        }
        String postgresAddress;
        if (options.externalPostgres().isPresent()) {
            var external = options.externalPostgres().get();
            postgresAddress = external.jdbcUrl() + " (external, user " + external.user() + ", " + probePostgres(external) + ")";
        } else {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .dataDirectory(options.dataDirectory().resolve("postgres"))
                    .port(options.postgresPort())
                    .durability(Durability.DURABLE)
                    .start();
            running.add(postgres);
            postgresAddress = postgres.jdbcUrl("postgres") + " (embedded, user postgres, fsync=" + postgres.setting("fsync")
                    + ", synchronous_commit=" + postgres.setting("synchronous_commit") + ", data in " + postgres.dataDirectory() + ")";
        }
        String kafkaAddress;
        if (options.externalKafka().isPresent()) {
            kafkaAddress = options.externalKafka().get() + " (external, " + probeKafka(options.externalKafka().get()) + ")";
        } else {
            EmbeddedKafka kafka = EmbeddedKafka.builder()
                    .dataDirectory(options.dataDirectory().resolve("kafka"))
                    .port(options.kafkaPort())
                    .defaultPartitions(4)
                    .start();
            running.add(kafka);
            kafkaAddress = kafka.bootstrapServers() + " (embedded, data in " + kafka.logDirectory() + ")";
        }

        System.out.println();
        System.out.println("Keel infrastructure is up.");
        System.out.println("  PostgreSQL  " + postgresAddress);
        System.out.println("  Kafka       " + kafkaAddress);
        System.out.println("Press Ctrl-C to stop; data is kept (start with --reset to wipe it).");
        stopped.await();
    }

    private static String probePostgres(LauncherOptions.ExternalPostgres external) {
        try (Connection connection = DriverManager.getConnection(external.jdbcUrl(), external.user(), external.password());
             ResultSet rows = connection.createStatement().executeQuery("SHOW server_version")) {
            rows.next();
            return "PostgreSQL " + rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach PostgreSQL at " + external.jdbcUrl() + " as " + external.user()
                    + ": " + e.getMessage(), e);
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
