package dev.keel.shop.app;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The launcher's command line. Unknown options and missing values are errors with a message, never
 * silently ignored.
 *
 * @param dataDirectory     where the embedded PostgreSQL and Kafka keep their data
 * @param reset             delete the data directory first
 * @param postgresPort      port of the embedded PostgreSQL
 * @param kafkaPort         port of the embedded Kafka broker
 * @param externalPostgres  use this PostgreSQL server instead of starting one
 * @param externalKafka     use this Kafka cluster ({@code host:port,...}) instead of starting a broker
 */
public record LauncherOptions(
        Path dataDirectory,
        boolean reset,
        int postgresPort,
        int kafkaPort,
        Optional<ExternalPostgres> externalPostgres,
        Optional<String> externalKafka) {

    public static final int DEFAULT_POSTGRES_PORT = 15432;
    public static final int DEFAULT_KAFKA_PORT = 19092;

    /** An existing PostgreSQL server, reached as a user allowed to create roles and databases. */
    public record ExternalPostgres(String jdbcUrl, String user, String password) {
    }

    public static final String USAGE = """
            usage: shop/run [options]
              --data-dir DIR            where embedded PostgreSQL and Kafka keep data (default .keel-data)
              --reset                   delete the data directory before starting
              --postgres-port N         port of the embedded PostgreSQL (default 15432)
              --kafka-port N            port of the embedded Kafka broker (default 19092)
              --postgres-url URL        use an external PostgreSQL, e.g. jdbc:postgresql://db:5432/postgres
              --postgres-user USER      its user (needs CREATEROLE and CREATEDB; default postgres)
              --postgres-password PW    its password (default: $KEEL_POSTGRES_PASSWORD or empty)
              --kafka BOOTSTRAP         use an external Kafka cluster, e.g. broker1:9092,broker2:9092
              -h, --help                this text
            """;

    public static LauncherOptions parse(String... args) {
        Path dataDirectory = Path.of(".keel-data");
        boolean reset = false;
        int postgresPort = DEFAULT_POSTGRES_PORT;
        int kafkaPort = DEFAULT_KAFKA_PORT;
        String postgresUrl = null;
        String postgresUser = "postgres";
        String postgresPassword = Optional.ofNullable(System.getenv("KEEL_POSTGRES_PASSWORD")).orElse("");
        String kafka = null;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            switch (option) {
                case "--data-dir" -> dataDirectory = Path.of(value(option, rest));
                case "--reset" -> reset = true;
                case "--postgres-port" -> postgresPort = port(option, value(option, rest));
                case "--kafka-port" -> kafkaPort = port(option, value(option, rest));
                case "--postgres-url" -> {
                    postgresUrl = value(option, rest);
                    if (!postgresUrl.startsWith("jdbc:postgresql://")) {
                        throw new IllegalArgumentException("--postgres-url must start with jdbc:postgresql://, got " + postgresUrl);
                    }
                }
                case "--postgres-user" -> postgresUser = value(option, rest);
                case "--postgres-password" -> postgresPassword = value(option, rest);
                case "--kafka" -> kafka = value(option, rest);
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new LauncherOptions(dataDirectory, reset, postgresPort, kafkaPort,
                postgresUrl == null ? Optional.empty() : Optional.of(new ExternalPostgres(postgresUrl, postgresUser, postgresPassword)),
                Optional.ofNullable(kafka));
    }

    private static String value(String option, List<String> rest) {
        if (rest.isEmpty() || rest.get(0).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return rest.remove(0);
    }

    private static int port(String option, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a port number 1-65535, got '" + text + "'");
        }
    }
}
