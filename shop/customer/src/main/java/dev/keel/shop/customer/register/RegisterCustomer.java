package dev.keel.shop.customer.register;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

import javax.sql.DataSource;

import dev.keel.core.Message;
import dev.keel.core.json.JsonCodec;
import dev.keel.outbox.OutboxMessage;
import dev.keel.outbox.OutboxWriter;
import dev.keel.postgres.Transactions;
import dev.keel.shop.customer.Customer;
import dev.keel.shop.customer.CustomerInput;
import dev.keel.shop.customer.CustomerTable;
import dev.keel.shop.customer.api.CustomerDetails;
import dev.keel.shop.customer.api.CustomerId;
import dev.keel.shop.customer.api.CustomerRegistered;
import dev.keel.shop.platform.IdempotencyKeys;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.RequestContext;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code POST /api/customers}: registers a customer. The row, the {@code CustomerRegistered} event in
 * the outbox and the idempotency key commit in one transaction, or nothing does. An email already
 * registered (in any case) is a 409.
 */
public final class RegisterCustomer {

    private static final JsonCodec JSON = JsonCodec.tolerant();

    private final DataSource dataSource;
    private final CustomerTable customers;
    private final IdempotencyKeys keys;
    private final OutboxWriter outbox;
    private final Clock clock;

    public RegisterCustomer(DataSource dataSource, CustomerTable customers, IdempotencyKeys keys, OutboxWriter outbox, Clock clock) {
        this.dataSource = dataSource;
        this.customers = customers;
        this.keys = keys;
        this.outbox = outbox;
        this.clock = clock;
    }

    public void routes(Javalin app) {
        app.post("/api/customers", this::register);
    }

    private void register(Context ctx) {
        CustomerDetails details = CustomerInput.details(ctx);
        IdempotencyKeys.Response response = Transactions.inTransaction(dataSource, "registering a customer", connection ->
                keys.once(connection, ctx, "register-customer", () -> {
                    Customer.Registered registered = Customer.register(CustomerId.random(), details,
                            clock.instant().truncatedTo(ChronoUnit.MICROS));
                    if (!customers.insert(connection, registered.customer())) {
                        throw ProblemException.conflict("a customer with the email " + details.email() + " is already registered");
                    }
                    outbox.write(connection, new OutboxMessage(Customer.AGGREGATE, registered.customer().id().toString(),
                            new Message<>(CustomerRegistered.TYPE, 1, registered.event(), RequestContext.metadata(ctx, clock))));
                    return new IdempotencyKeys.Response(201, JSON.toBytes(registered.customer().view()));
                }));
        if (response.status() == 201) {
            // also on a replay: the first answer's customer
            ctx.header("Location", "/api/customers/" + JSON.readTree(response.body()).get("id").asText());
        }
        response.writeTo(ctx);
    }
}
