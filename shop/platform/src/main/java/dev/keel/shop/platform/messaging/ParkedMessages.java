package dev.keel.shop.platform.messaging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import dev.keel.core.MessageId;
import dev.keel.messaging.inbox.Inbox;
import dev.keel.messaging.inbox.NoSuchParkedMessageException;
import dev.keel.messaging.inbox.ParkedMessage;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.ServiceHttp;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * The admin endpoints of a service's ordered dead letters, over all of its inboxes. Ids are those of
 * the inbox tables, unique within the service's database, so an id alone names the message.
 */
final class ParkedMessages {

    /** A parked (or retrying) message as {@code GET /admin/parked} lists it. */
    record View(long id, String consumer, String topic, String key, Optional<String> type, Optional<String> messageId,
                OptionalLong sequence, String state, String reason, String error, int attempts,
                Optional<Instant> nextAttemptAt, Instant parkedAt, int waitingBehind, String where) {

        static View of(ParkedMessage parked) {
            return new View(parked.id(), parked.consumer(), parked.topic(), parked.key(), parked.type(),
                    parked.messageId().map(MessageId::value).map(Object::toString), parked.sequence(), parked.state().name(),
                    parked.reason().name(), parked.error(), parked.attempts(), parked.nextAttemptAt(), parked.parkedAt(),
                    parked.waitingBehind(), parked.where());
        }
    }

    /** The answer to a retry or skip: the message and what it is now. */
    record Outcome(long id, String consumer, String state) {
    }

    private final Supplier<List<Inbox>> inboxes;

    ParkedMessages(Supplier<List<Inbox>> inboxes) {
        this.inboxes = inboxes;
    }

    void routes(Javalin app) {
        app.get("/admin/parked", ctx -> ServiceHttp.json(ctx, 200, list()));
        app.post("/admin/parked/{id}/retry", ctx -> {
            long id = id(ctx);
            Inbox owner = owner(id);
            act(id, () -> owner.deadLetters().retry(id));
            ServiceHttp.json(ctx, 200, new Outcome(id, owner.consumer(), "RETRYING"));
        });
        app.post("/admin/parked/{id}/skip", ctx -> {
            long id = id(ctx);
            Inbox owner = owner(id);
            act(id, () -> owner.deadLetters().skip(id));
            ServiceHttp.json(ctx, 200, new Outcome(id, owner.consumer(), "SKIPPED"));
        });
    }

    List<View> list() {
        List<View> views = new ArrayList<>();
        for (Inbox inbox : inboxes.get()) {
            inbox.deadLetters().list().forEach(parked -> views.add(View.of(parked)));
        }
        views.sort(Comparator.comparing(View::parkedAt).thenComparingLong(View::id));
        return views;
    }

    /** The inbox the message is parked in; 404 if none has it. */
    private Inbox owner(long id) {
        for (Inbox inbox : inboxes.get()) {
            if (inbox.deadLetters().find(id).isPresent()) {
                return inbox;
            }
        }
        throw ProblemException.notFound("parked message", id);
    }

    private static void act(long id, Runnable operation) {
        try {
            operation.run();
        } catch (NoSuchParkedMessageException e) {
            // handled or skipped between the look-up and the operation
            throw ProblemException.notFound("parked message", id);
        }
    }

    private static long id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.invalid("id", "id must be a parked message's number (a positive integer), got '"
                + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "'");
    }
}
