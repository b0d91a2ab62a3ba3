package dev.keel.shop.platform.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import dev.keel.core.Message;
import dev.keel.core.NonTransientException;
import dev.keel.core.json.JsonCodec;
import dev.keel.outbox.OutboxMessage;
import dev.keel.postgres.Transactions;
import dev.keel.shop.platform.Health;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.RequestContext;
import dev.keel.shop.platform.Requests;
import dev.keel.shop.platform.RunningService;
import dev.keel.shop.platform.ServiceContext;
import dev.keel.shop.platform.ServiceHttp;
import dev.keel.shop.platform.ShopService;
import dev.keel.shop.platform.StartedService;

/**
 * A small service on the messaging wiring, for its tests: {@code POST /notes} stores a note and writes
 * a {@code NoteWritten} event to its outbox in the same transaction (text {@code rollback} fails after
 * both writes); it also consumes its own topic through an inbox and keeps what it received in
 * {@code notes.received}, refusing (a permanent failure, so the message is parked) the texts in
 * {@code refused}.
 */
record NotesService(String name, String topic, Set<String> refused) implements ShopService {

    static final String TYPE = "test.NoteWritten";
    private static final JsonCodec JSON = JsonCodec.tolerant();

    record Note(String id, String text) {
    }

    @Override
    public int defaultPort() {
        return 0;
    }

    @Override
    public List<String> topics() {
        return List.of(topic);
    }

    @Override
    public RunningService start(ServiceContext context) throws Exception {
        DataSource dataSource = context.database().dataSource();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS notes");
            statement.execute("CREATE TABLE IF NOT EXISTS notes.notes (id text PRIMARY KEY, text text NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS notes.received (key text NOT NULL, sequence bigint NOT NULL, text text NOT NULL)");
        }
        ServiceMessaging messaging = ServiceMessaging.builder(context).route("Note", topic).start();
        try {
            messaging.consume("echo", Set.of(topic), (message, connection) -> {
                Note note = message.payload(JSON, Note.class);
                if (refused.contains(note.text())) {
                    throw new NonTransientException("note " + note.id() + " says '" + note.text() + "', which is refused");
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO notes.received (key, sequence, text) VALUES (?, ?, ?)")) {
                    insert.setString(1, message.key());
                    insert.setLong(2, message.sequence().orElse(0));
                    insert.setString(3, note.text());
                    insert.executeUpdate();
                }
            });
            ServiceHttp http = ServiceHttp.builder(name)
                    .port(context.port())
                    .meterRegistry(messaging.meterRegistry())
                    .health(messaging.readiness(new Health().check("database", context.database()::check)))
                    .routes(app -> {
                        messaging.adminRoutes(app);
                        app.post("/notes", ctx -> {
                            Note note = Requests.body(ctx, Note.class);
                            Message<Note> written = new Message<>(TYPE, 1, note, RequestContext.metadata(ctx, context.clock()));
                            Transactions.inTransaction(dataSource, "write note", connection -> {
                                try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO notes.notes (id, text) VALUES (?, ?)"
                                        + " ON CONFLICT (id) DO UPDATE SET text = EXCLUDED.text")) {
                                    upsert.setString(1, note.id());
                                    upsert.setString(2, note.text());
                                    upsert.executeUpdate();
                                }
                                messaging.outbox().write(connection, new OutboxMessage("Note", note.id(), written));
                                if (note.text().equals("rollback")) {
                                    throw ProblemException.badRequest("note " + note.id() + " rolled back on purpose");
                                }
                                return null;
                            });
                            ServiceHttp.json(ctx, 201, note);
                        });
                    })
                    .start();
            return StartedService.of(http, messaging);
        } catch (RuntimeException e) {
            messaging.close();
            throw e;
        }
    }
}
