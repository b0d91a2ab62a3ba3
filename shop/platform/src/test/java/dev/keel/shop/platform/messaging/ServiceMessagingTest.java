package dev.keel.shop.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.outbox.OutboxMessage;
import dev.keel.outbox.UnroutableMessageException;
import dev.keel.shop.platform.ServiceContext;
import dev.keel.shop.platform.testing.HttpCalls;
import dev.keel.shop.platform.testing.RelayGroup;
import dev.keel.shop.platform.testing.ServiceFixture;
import dev.keel.shop.platform.testing.TopicReader;
import dev.keel.test.TestDatabase;
import dev.keel.test.TestKafka;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The messaging wiring of a Shop service, on real PostgreSQL and Kafka, through a small service built on it. */
@WithInfrastructure
class ServiceMessagingTest {

    static final Set<String> refused = ConcurrentHashMap.newKeySet();
    static ServiceFixture notes;
    static ServiceFixture.Instance service;
    static TestKafka broker;
    static String topic;

    @BeforeAll
    static void start(TestDatabase db, TestKafka kafka) throws Exception {
        broker = kafka;
        topic = kafka.topic("notes");
        notes = ServiceFixture.of(new NotesService("notes", topic, refused), db, kafka)
                .set("notes.relay.leaseDuration", "3s");
        service = notes.start();
    }

    @AfterAll
    static void stop() {
        notes.close();
    }

    @Test
    void a_message_written_in_the_services_transaction_is_published_to_its_routed_topic_with_cloudevents_headers_and_its_key() {
        String id = "note-" + UUID.randomUUID();

        HttpResponse<String> response = service.http().post("/notes", note(id, "hello"), "X-Correlation-Id", "flow-17");

        assertThat(response.statusCode()).isEqualTo(201);
        try (TopicReader reader = TopicReader.of(broker.bootstrapServers(), topic, Set.of(id))) {
            TopicReader.Record record = reader.awaitAtLeast(1).get(0);
            assertThat(record.key()).isEqualTo(id);
            assertThat(record.type()).isEqualTo(NotesService.TYPE);
            assertThat(record.sequence()).isEqualTo(1);
            assertThat(record.headers()).containsEntry("ce_specversion", "1.0").containsEntry("ce_source", "/shop/notes")
                    .containsEntry("ce_subject", id).containsEntry("ce_correlationid", "flow-17").containsKeys("ce_id", "ce_time", "traceparent");
            assertThat(record.json().get("text").asText()).isEqualTo("hello");
        }
    }

    @Test
    void a_change_that_rolls_back_publishes_nothing() {
        String id = "note-" + UUID.randomUUID();

        HttpResponse<String> rolledBack = service.http().post("/notes", note(id, "rollback"));
        service.http().post("/notes", note(id, "kept"));

        assertThat(rolledBack.statusCode()).isEqualTo(400);
        try (TopicReader reader = TopicReader.of(broker.bootstrapServers(), topic, Set.of(id))) {
            // the key's records are in order: had the rolled-back one gone out, it would come first
            TopicReader.Record first = reader.awaitAtLeast(1).get(0);
            assertThat(first.json().get("text").asText()).isEqualTo("kept");
            assertThat(first.sequence()).isEqualTo(1);
        }
    }

    @Test
    void messages_of_an_aggregate_type_without_a_route_are_refused_and_a_service_without_routes_has_no_outbox() {
        ServiceContext context = notes.newContext();
        ServiceContext other = new ServiceContext("unrouted", 0, context.database(), context.kafkaBootstrap(), context.directory(),
                Clock.systemUTC(), context.settings());
        try (ServiceMessaging routed = ServiceMessaging.builder(other).route("Note", topic).start();
             ServiceMessaging silent = ServiceMessaging.builder(new ServiceContext("silent", 0, context.database(),
                     context.kafkaBootstrap(), context.directory(), Clock.systemUTC(), context.settings())).start();
             Connection connection = context.database().dataSource().getConnection()) {
            connection.setAutoCommit(false);

            assertThatThrownBy(() -> routed.outbox().write(connection,
                    OutboxMessage.of("Invoice", "invoice-1", "test.InvoiceSent", Map.of("total", 1), Clock.systemUTC())))
                    .isInstanceOf(UnroutableMessageException.class);
            assertThatThrownBy(silent::outbox).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("silent declared no message routes");
            assertThat(silent.relays()).isEmpty();
            assertThat(routed.relays()).extracting(relay -> relay.name()).containsExactly("unrouted");
            connection.rollback();
        } catch (SQLException e) {
            throw new AssertionError(e);
        } finally {
            context.database().close();
        }
    }

    @Test
    void a_message_the_handler_refuses_is_parked_listed_for_the_operator_and_handled_when_retried() {
        String id = "note-" + UUID.randomUUID();
        String text = "refused-" + id;
        refused.add(text);

        service.http().post("/notes", note(id, text));
        JsonNode parked = awaitParked(id);

        assertThat(parked.get("consumer").asText()).isEqualTo("echo");
        assertThat(parked.get("topic").asText()).isEqualTo(topic);
        assertThat(parked.get("type").asText()).isEqualTo(NotesService.TYPE);
        assertThat(parked.get("state").asText()).isEqualTo("PARKED");
        assertThat(parked.get("reason").asText()).isEqualTo("FAILED");
        assertThat(parked.get("error").asText()).contains("which is refused");
        assertThat(parked.get("sequence").asLong()).isEqualTo(1);
        assertThat(parked.has("parkedAt")).isTrue();

        refused.remove(text);
        HttpResponse<String> retried = service.http().post("/admin/parked/" + parked.get("id").asLong() + "/retry", "");

        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(HttpCalls.json(retried).get("state").asText()).isEqualTo("RETRYING");
        assertThat(HttpCalls.json(retried).get("consumer").asText()).isEqualTo("echo");
        await().atMost(Duration.ofSeconds(30)).until(() -> received(id).equals(List.of(text)));
        assertThat(parkedOf(id)).isEmpty();
    }

    @Test
    void skipping_a_parked_message_drops_it_and_lets_the_later_messages_of_its_key_through() {
        String id = "note-" + UUID.randomUUID();
        String text = "refused-" + id;
        refused.add(text);

        service.http().post("/notes", note(id, text));
        JsonNode parked = awaitParked(id);
        service.http().post("/notes", note(id, "after"));
        await().atMost(Duration.ofSeconds(30)).until(() -> parkedOf(id).get(0).get("waitingBehind").asInt() == 1);

        HttpResponse<String> skipped = service.http().post("/admin/parked/" + parked.get("id").asLong() + "/skip", "");

        assertThat(skipped.statusCode()).isEqualTo(200);
        assertThat(HttpCalls.json(skipped).get("state").asText()).isEqualTo("SKIPPED");
        await().atMost(Duration.ofSeconds(30)).until(() -> received(id).equals(List.of("after")));
        assertThat(parkedOf(id)).isEmpty();
        refused.remove(text);
    }

    @Test
    void retrying_or_skipping_a_message_that_is_not_parked_is_a_404_problem_and_a_bad_id_a_400_problem() {
        HttpResponse<String> retry = service.http().post("/admin/parked/987654321/retry", "");
        HttpResponse<String> skip = service.http().post("/admin/parked/987654321/skip", "");
        HttpResponse<String> bad = service.http().post("/admin/parked/seven/retry", "");

        assertThat(retry.statusCode()).isEqualTo(404);
        assertThat(retry.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        assertThat(HttpCalls.json(retry).get("detail").asText()).isEqualTo("parked message 987654321 does not exist");
        assertThat(skip.statusCode()).isEqualTo(404);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(HttpCalls.json(bad).get("errors").get(0).get("field").asText()).isEqualTo("id");
    }

    @Test
    void readiness_reports_the_relay_and_each_consumer_and_the_meters_are_on_the_services_registry() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> ready = service.http().get("/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            JsonNode checks = HttpCalls.json(ready).get("checks");
            assertThat(checks.get("relay:notes").asText()).startsWith("UP");
            assertThat(checks.get("consumer:echo").asText()).startsWith("UP: member of group notes.echo");
            assertThat(checks.get("database").asText()).isEqualTo("UP");
        });

        String metrics = service.http().get("/metrics").body();

        assertThat(metrics).contains("keel_outbox_relay_published_total{").contains("relay=\"notes\"")
                .contains("keel_messaging_inbox_handled_total{").contains("consumer=\"echo\"")
                .contains("keel_outbox_relay_partitions{");
    }

    @Test
    void two_instances_share_the_outbox_partitions_and_publish_every_message_once_in_key_order() throws Exception {
        RelayGroup relay = RelayGroup.of(notes.dataSource(), "notes");
        try (ServiceFixture.Instance second = notes.start()) {
            relay.awaitHeldBy(2, 2);
            List<String> ids = IntStream.range(0, 24).mapToObj(i -> "shared-" + i + "-" + UUID.randomUUID()).toList();
            RelayGroup.Snapshot before = relay.snapshot();

            for (int round = 1; round <= 3; round++) {
                for (int i = 0; i < ids.size(); i++) {
                    ServiceFixture.Instance via = (i + round) % 2 == 0 ? service : second;
                    assertThat(via.http().post("/notes", note(ids.get(i), "round " + round)).statusCode()).isEqualTo(201);
                }
            }

            try (TopicReader reader = TopicReader.of(broker.bootstrapServers(), topic, ids)) {
                reader.awaitAtLeast(ids.size() * 3);
                Set<String> messageIds = new HashSet<>();
                for (String id : ids) {
                    assertThat(reader.of(id)).extracting(TopicReader.Record::sequence).containsExactly(1L, 2L, 3L);
                    assertThat(reader.of(id)).extracting(record -> record.json().get("text").asText())
                            .containsExactly("round 1", "round 2", "round 3");
                    reader.of(id).forEach(record -> messageIds.add(record.id()));
                }
                assertThat(messageIds).as("no message twice").hasSize(ids.size() * 3);
            }
            assertThat(relay.publishedSince(before)).as("rows each instance published").hasSize(2)
                    .allSatisfy((owner, rows) -> assertThat(rows).isPositive());
        }
        relay.awaitHeldBy(1, 4);
    }

    @Test
    void a_stopped_instance_leaves_the_relay_group_and_gives_its_partitions_back() throws Exception {
        RelayGroup relay = RelayGroup.of(notes.dataSource(), "notes");
        ServiceFixture.Instance second = notes.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.members() == 2);

        second.close();

        assertThat(relay.members()).isEqualTo(1);
        assertThatThrownBy(() -> second.http().get("/health/live")).isInstanceOf(java.io.UncheckedIOException.class);
        relay.awaitHeldBy(1, 4);
    }

    private static JsonNode awaitParked(String key) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !parkedOf(key).isEmpty());
        return parkedOf(key).get(0);
    }

    private static List<JsonNode> parkedOf(String key) {
        HttpResponse<String> response = service.http().get("/admin/parked");
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> found = new ArrayList<>();
        HttpCalls.json(response).forEach(node -> {
            if (node.get("key").asText().equals(key)) {
                found.add(node);
            }
        });
        return found;
    }

    private static List<String> received(String key) throws SQLException {
        return query("SELECT text FROM notes.received WHERE key = ? ORDER BY sequence", key);
    }

    private static List<String> query(String sql, String parameter) throws SQLException {
        try (Connection connection = notes.dataSource().getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            if (parameter != null) {
                select.setString(1, parameter);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    private static String note(String id, String text) {
        return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\"}";
    }
}
