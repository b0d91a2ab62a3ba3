package dev.keel.shop.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.keel.shop.platform.Health;
import dev.keel.shop.platform.RunningService;
import dev.keel.shop.platform.ServiceContext;
import dev.keel.shop.platform.ServiceDirectory;
import dev.keel.shop.platform.ServiceHttp;
import dev.keel.shop.platform.ServiceSecrets;
import dev.keel.shop.platform.Settings;
import dev.keel.shop.platform.ShopService;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class ShopRuntimeTest {

    /** A service that answers with the name of the database it is connected to. */
    record WhoAmI(String name) implements ShopService {
        @Override
        public int defaultPort() {
            return 0;
        }

        @Override
        public List<String> topics() {
            return List.of("shop.test." + name);
        }

        @Override
        public RunningService start(ServiceContext context) {
            ServiceHttp http = ServiceHttp.builder(name).port(context.port())
                    .health(new Health().check("database", context.database()::check))
                    .routes(app -> app.get("/whoami", ctx -> {
                        try (Connection connection = context.database().dataSource().getConnection();
                             ResultSet row = connection.createStatement().executeQuery("SELECT current_database(), current_user")) {
                            row.next();
                            ctx.result(row.getString(1) + " as " + row.getString(2));
                        }
                    }))
                    .start();
            return new RunningService() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public String baseUrl() {
                    return http.baseUrl();
                }

                @Override
                public void close() {
                    http.close();
                }
            };
        }
    }

    @Test
    void every_service_gets_its_own_database_and_role_and_cannot_open_another_ones(TestDatabase db) throws Exception {
        List<String> createdTopics = new ArrayList<>();
        ServiceSecrets secrets = ServiceSecrets.of("a-test-secret-of-enough-length");
        ShopRuntime.Postgres postgres = postgresOf(db);

        try (ShopRuntime runtime = ShopRuntime.start(postgres, "localhost:1", createdTopics::addAll,
                List.of(new WhoAmI("alpha"), new WhoAmI("beta-gamma")), Map.of(), new ServiceDirectory(Map.of()),
                secrets, Settings.none(), Clock.systemUTC())) {

            assertThat(createdTopics).containsExactly("shop.test.alpha", "shop.test.beta-gamma");
            assertThat(get(runtime.services().get(0).baseUrl() + "/whoami")).isEqualTo("shop_alpha as shop_alpha");
            assertThat(get(runtime.services().get(1).baseUrl() + "/whoami")).isEqualTo("shop_beta_gamma as shop_beta_gamma");
            assertThat(get(runtime.services().get(1).baseUrl() + "/health/ready")).contains("\"database\":\"UP\"");

            String alphaPassword = secrets.passwordFor("shop_alpha");
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("shop_beta_gamma"), "shop_alpha", alphaPassword).close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied for database \"shop_beta_gamma\"");
        } finally {
            db.server().dropDatabase("shop_alpha");
            db.server().dropDatabase("shop_beta_gamma");
        }
    }

    @Test
    void a_service_that_fails_to_start_stops_the_ones_already_started(TestDatabase db) {
        ShopService broken = new ShopService() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public int defaultPort() {
                return 0;
            }

            @Override
            public List<String> topics() {
                return List.of();
            }

            @Override
            public RunningService start(ServiceContext context) {
                throw new IllegalStateException("cannot bind");
            }
        };
        List<String> ignored = new ArrayList<>();
        try {
            assertThatThrownBy(() -> ShopRuntime.start(postgresOf(db), "localhost:1", ignored::addAll,
                    List.of(new WhoAmI("first"), broken), Map.of(), new ServiceDirectory(Map.of()),
                    ServiceSecrets.of("a-test-secret-of-enough-length"), Settings.none(), Clock.systemUTC()))
                    .hasMessageContaining("the Shop did not start: cannot bind");
        } finally {
            db.server().dropDatabase("shop_first");
            db.server().dropDatabase("shop_broken");
        }
    }

    private static ShopRuntime.Postgres postgresOf(TestDatabase db) {
        return new ShopRuntime.Postgres() {
            @Override
            public String jdbcUrl(String database) {
                return db.server().jdbcUrl(database);
            }

            @Override
            public DataSource admin(String database) {
                return db.server().superuserDataSource(database);
            }
        };
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

}
