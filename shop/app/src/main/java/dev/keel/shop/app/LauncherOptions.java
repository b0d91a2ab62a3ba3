package dev.keel.shop.app;

import java.nio.file.Path;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * @param service           run only this service (and no embedded servers: they run in another process)
 * @param port              HTTP port of that one service
 * @param settings          {@code --set name=value} settings for the services
 * @param peers             {@code --peer name=url}: where another service answers
 */
public record LauncherOptions(
        Path dataDirectory,
        boolean reset,
        int postgresPort,
        int kafkaPort,
        Optional<ExternalPostgres> externalPostgres,
        Optional<String> externalKafka,
        Optional<String> service,
        Optional<Integer> port,
        Map<String, String> settings,
        Map<String, URI> peers) {

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
              --service NAME            run only this service, against the PostgreSQL and Kafka of a running
                                        shop/run (default localhost:15432 and localhost:19092) or the external ones
              --port N                  HTTP port of that service (two instances need two ports)
              --peer NAME=URL           where another service answers (default http://localhost:<its port>)
              --set NAME=VALUE          a setting, e.g. --set payment.declineRate=0.2
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
        String service = null;
        Integer servicePort = null;
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, URI> peers = new LinkedHashMap<>();
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
                case "--service" -> service = value(option, rest);
                case "--port" -> servicePort = port(option, value(option, rest));
                case "--set" -> {
                    String[] pair = pair(option, value(option, rest));
                    settings.put(pair[0], pair[1]);
                }
                case "--peer" -> {
                    String[] pair = pair(option, value(option, rest));
                    try {
                        URI uri = URI.create(pair[1]);
                        if (uri.getScheme() == null || uri.getHost() == null) {
                            throw new IllegalArgumentException();
                        }
                        peers.put(pair[0], uri);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--peer " + pair[0] + " needs a URL like http://host:8084, got '" + pair[1] + "'");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        if (servicePort != null && service == null) {
            throw new IllegalArgumentException("--port sets the port of the one service given with --service; add --service NAME");
        }
        return new LauncherOptions(dataDirectory, reset, postgresPort, kafkaPort,
                postgresUrl == null ? Optional.empty() : Optional.of(new ExternalPostgres(postgresUrl, postgresUser, postgresPassword)),
                Optional.ofNullable(kafka), Optional.ofNullable(service), Optional.ofNullable(servicePort), settings, peers);
    }

    private static String[] pair(String option, String text) {
        int equals = text.indexOf('=');
        if (equals < 1 || equals == text.length() - 1) {
            throw new IllegalArgumentException(option + " needs NAME=VALUE, got '" + text + "'");
        }
        return new String[] {text.substring(0, equals).trim(), text.substring(equals + 1).trim()};
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
