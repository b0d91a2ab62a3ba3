package dev.keel.shop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.keel.postgres.Transactions;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithInfrastructure
class IdempotencyKeysTest {

    record NewNote(String text) {
    }

    static ServiceHttp http;
    static final HttpClient client = HttpClient.newHttpClient();
    static TestDatabase database;

    @BeforeAll
    static void start(TestDatabase db) {
        database = db;
        db.execute("CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, text text NOT NULL)");
        IdempotencyKeys keys = new IdempotencyKeys(db.dataSource(), "keel");
        http = ServiceHttp.builder("notes").routes(app -> app.post("/api/notes", ctx -> {
            NewNote note = Requests.body(ctx, NewNote.class);
            IdempotencyKeys.Response response = Transactions.inTransaction(db.dataSource(), "add note", connection ->
                    keys.once(connection, ctx, "add-note", () -> {
                        long id = insert(connection, note.text());
                        if (note.text().equals("fail after insert")) {
                            throw ProblemException.badRequest("refused after writing");
                        }
                        return new IdempotencyKeys.Response(201, ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8));
                    }));
            response.writeTo(ctx);
        })).start();
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    @BeforeEach
    void empty() {
        database.execute("TRUNCATE notes", "TRUNCATE keel.idempotency_keys");
    }

    @Test
    void a_retried_request_with_the_same_key_has_one_effect_and_the_same_answer() throws Exception {
        HttpResponse<String> first = post("key-1", "{\"text\":\"hello\"}");
        HttpResponse<String> retry = post("key-1", "{\"text\":\"hello\"}");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(notes()).containsExactly("hello");
    }

    @Test
    void the_same_key_with_another_body_is_refused_and_changes_nothing() throws Exception {
        post("key-2", "{\"text\":\"hello\"}");

        HttpResponse<String> reused = post("key-2", "{\"text\":\"something else\"}");

        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(reused.body()).contains("/problems/idempotency-key-reused");
        assertThat(notes()).containsExactly("hello");
    }

    @Test
    void without_a_key_every_request_has_its_effect() throws Exception {
        post(null, "{\"text\":\"a\"}");
        post(null, "{\"text\":\"a\"}");

        assertThat(notes()).containsExactly("a", "a");
    }

    @Test
    void a_failed_request_keeps_neither_its_effect_nor_its_key() throws Exception {
        HttpResponse<String> failed = post("key-3", "{\"text\":\"fail after insert\"}");
        HttpResponse<String> next = post("key-3", "{\"text\":\"fail after insert\"}");

        assertThat(failed.statusCode()).isEqualTo(400);
        assertThat(next.statusCode()).isEqualTo(400);
        assertThat(notes()).isEmpty();
    }

    @Test
    void concurrent_requests_with_one_key_have_one_effect() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post("key-4", "{\"text\":\"once\"}");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<String> bodies = new ArrayList<>();
        for (var request : requests) {
            HttpResponse<String> response = request.get(30, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(201);
            bodies.add(response.body());
        }

        assertThat(bodies).containsOnly(bodies.get(0));
        assertThat(notes()).containsExactly("once");
    }

    @Test
    void a_malformed_key_is_refused() throws Exception {
        HttpResponse<String> response = post("has space", "{\"text\":\"x\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(notes()).isEmpty();
    }

    private static long insert(Connection connection, String text) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes (text) VALUES (?) RETURNING id")) {
            insert.setString(1, text);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static List<String> notes() throws SQLException {
        List<String> texts = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             ResultSet rows = connection.createStatement().executeQuery("SELECT text FROM notes ORDER BY id")) {
            while (rows.next()) {
                texts.add(rows.getString(1));
            }
        }
        return texts;
    }

    private static HttpResponse<String> post(String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/notes"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header(IdempotencyKeys.HEADER, key);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
