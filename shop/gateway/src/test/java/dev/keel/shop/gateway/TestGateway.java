package dev.keel.shop.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keel.core.json.JsonCodec;
import dev.keel.shop.platform.ServiceContext;
import dev.keel.shop.platform.ServiceDatabase;
import dev.keel.shop.platform.ServiceDirectory;
import dev.keel.shop.platform.Settings;
import dev.keel.test.TestDatabase;

/**
 * The gateway as the launcher starts it ({@link GatewayService#start}), on a free port, with a test
 * database, in front of the given services; and a client to call it.
 */
final class TestGateway implements AutoCloseable {

    static final JsonCodec JSON = JsonCodec.tolerant();

    private final ServiceDatabase database;
    private final Gateway gateway;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestGateway(ServiceDatabase database, Gateway gateway) {
        this.database = database;
        this.gateway = gateway;
    }

    static TestGateway start(TestDatabase db, ServiceDirectory directory, Map<String, String> settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(db.user());
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        ServiceDatabase database = new ServiceDatabase(db.name(), db.user(), new HikariDataSource(config));
        ServiceContext context = new ServiceContext("gateway", 0, database, "localhost:1", directory, Clock.systemUTC(),
                new Settings(settings));
        return new TestGateway(database, (Gateway) new GatewayService().start(context));
    }

    Gateway gateway() {
        return gateway;
    }

    String baseUrl() {
        return gateway.baseUrl();
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    HttpResponse<String> post(String path, String json, String... headers) {
        HttpRequest.Builder request = request(path, headers);
        if (json.isEmpty()) {
            return send(request.POST(HttpRequest.BodyPublishers.noBody()).build());
        }
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!typed) {
            request.header("Content-Type", "application/json");
        }
        return send(request.POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.BodyPublisher publisher = body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        return send(request(path, headers).method(method, publisher).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("the gateway did not answer " + request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request;
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        gateway.close();
        client.close();
        database.close();
    }
}
