package dev.keel.shop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.core.json.JsonCodec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServiceHttpTest {

    record Greeting(String name, int times) {
        Greeting {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank");
            }
            if (times < 1) {
                throw new IllegalArgumentException("times must be at least 1, got " + times);
            }
        }
    }

    static final AtomicBoolean databaseUp = new AtomicBoolean(true);
    static ServiceHttp http;
    static final HttpClient client = HttpClient.newHttpClient();
    static final JsonCodec json = JsonCodec.tolerant();

    @BeforeAll
    static void start() {
        http = ServiceHttp.builder("greeter")
                .maxBodyBytes(1024)
                .health(new Health().check("database", () -> databaseUp.get() ? Health.Check.ok() : Health.Check.down("connection refused")))
                .routes(app -> {
                    app.post("/api/greetings", ctx -> {
                        Greeting greeting = Requests.body(ctx, Greeting.class);
                        ServiceHttp.json(ctx, 201, java.util.Map.of("text", ("hello " + greeting.name() + " ").repeat(greeting.times()).trim()));
                    });
                    app.get("/api/greetings/{id}", ctx -> {
                        throw ProblemException.notFound("greeting", Requests.pathUuid(ctx, "id"));
                    });
                    app.get("/api/boom", ctx -> {
                        throw new IllegalStateException("secret internals");
                    });
                })
                .start();
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    @Test
    void answers_valid_input() throws Exception {
        HttpResponse<String> response = post("/api/greetings", "{\"name\":\"Ada\",\"times\":2}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(json.readTree(response.body()).get("text").asText()).isEqualTo("hello Ada hello Ada");
    }

    @Test
    void malformed_json_is_a_problem_with_where_it_broke() throws Exception {
        HttpResponse<String> response = post("/api/greetings", "{\"name\":\"Ada\",");

        assertProblem(response, 400, "/problems/validation");
        assertThat(json.readTree(response.body()).get("detail").asText()).contains("malformed JSON");
    }

    @Test
    void a_wrong_type_names_the_field() throws Exception {
        HttpResponse<String> response = post("/api/greetings", "{\"name\":\"Ada\",\"times\":\"twice\"}");

        JsonNode problem = assertProblem(response, 400, "/problems/validation");
        assertThat(problem.get("errors").get(0).get("field").asText()).isEqualTo("$.times");
        assertThat(problem.get("errors").get(0).get("message").asText()).isEqualTo("expected an integer");
    }

    @Test
    void an_unknown_field_is_refused() throws Exception {
        JsonNode problem = assertProblem(post("/api/greetings", "{\"name\":\"Ada\",\"times\":1,\"tiems\":2}"), 400, "/problems/validation");

        assertThat(problem.get("errors").get(0).get("message").asText()).isEqualTo("unknown field 'tiems'");
    }

    @Test
    void a_rule_of_the_input_record_is_reported_in_its_words() throws Exception {
        JsonNode problem = assertProblem(post("/api/greetings", "{\"name\":\"Ada\",\"times\":0}"), 400, "/problems/validation");

        assertThat(problem.get("errors").get(0).get("message").asText()).isEqualTo("times must be at least 1, got 0");
    }

    @Test
    void an_empty_body_is_refused() throws Exception {
        assertProblem(post("/api/greetings", ""), 400, "/problems/validation");
    }

    @Test
    void an_oversized_body_is_refused_with_413() throws Exception {
        String big = "{\"name\":\"" + "a".repeat(5000) + "\",\"times\":1}";

        assertProblem(post("/api/greetings", big), 413, "/problems/too-large");
    }

    @Test
    void a_body_that_is_not_json_is_refused_with_415() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/greetings"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hi")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertProblem(response, 415, "/problems/unsupported-media-type");
    }

    @Test
    void unknown_routes_and_wrong_methods_are_problems_too() throws Exception {
        assertProblem(get("/api/nothing-here"), 404, "/problems/not-found");
        HttpResponse<String> delete = client.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/greetings")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        assertProblem(delete, 405, "/problems/method-not-allowed");
    }

    @Test
    void a_handler_problem_keeps_its_status_and_says_which_input_was_wrong() throws Exception {
        assertProblem(get("/api/greetings/0193a3c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d"), 404, "/problems/not-found");
        JsonNode bad = assertProblem(get("/api/greetings/not-a-uuid"), 400, "/problems/validation");
        assertThat(bad.get("errors").get(0).get("field").asText()).isEqualTo("id");
    }

    @Test
    void an_unexpected_failure_is_a_500_that_shows_no_internals_but_the_correlation_id() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/api/boom"))
                .header("X-Correlation-Id", "trace-me-42").GET().build(), HttpResponse.BodyHandlers.ofString());

        JsonNode problem = assertProblem(response, 500, "/problems/internal");
        assertThat(response.body()).doesNotContain("secret internals");
        assertThat(problem.get("correlationId").asText()).isEqualTo("trace-me-42");
        assertThat(problem.get("detail").asText()).contains("trace-me-42");
    }

    @Test
    void echoes_the_callers_correlation_id_or_makes_one() throws Exception {
        HttpResponse<String> given = client.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + "/health/live"))
                .header("X-Correlation-Id", "abc-123").GET().build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> made = get("/health/live");

        assertThat(given.headers().firstValue("X-Correlation-Id")).contains("abc-123");
        assertThat(made.headers().firstValue("X-Correlation-Id")).isPresent();
    }

    @Test
    void readiness_follows_the_checks_while_liveness_does_not() throws Exception {
        databaseUp.set(false);
        try {
            HttpResponse<String> ready = get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(json.readTree(ready.body()).get("checks").get("database").asText()).isEqualTo("DOWN: connection refused");
            assertThat(get("/health/live").statusCode()).isEqualTo(200);
        } finally {
            databaseUp.set(true);
        }
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void exposes_prometheus_metrics_with_request_timings_by_route() throws Exception {
        post("/api/greetings", "{\"name\":\"Ada\",\"times\":1}");

        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(metrics.body()).contains("http_server_requests_seconds_count{")
                .contains("route=\"/api/greetings\"").contains("jvm_memory_used_bytes");
    }

    private static JsonNode assertProblem(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode problem = json.readTree(response.body());
        assertThat(problem.get("type").asText()).isEqualTo(type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("detail").asText()).isNotBlank();
        return problem;
    }

    private static HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(http.baseUrl() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
