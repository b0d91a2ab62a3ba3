package dev.keel.shop.customer.update;

import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import javax.sql.DataSource;

import dev.keel.core.Message;
import dev.keel.outbox.OutboxMessage;
import dev.keel.outbox.OutboxWriter;
import dev.keel.postgres.SqlFailure;
import dev.keel.postgres.Transactions;
import dev.keel.shop.customer.Customer;
import dev.keel.shop.customer.CustomerInput;
import dev.keel.shop.customer.CustomerTable;
import dev.keel.shop.customer.api.CustomerDetails;
import dev.keel.shop.customer.api.CustomerId;
import dev.keel.shop.customer.api.CustomerUpdated;
import dev.keel.shop.customer.api.CustomerView;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.RequestContext;
import dev.keel.shop.platform.ServiceHttp;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * {@code PUT /api/customers/{id}}: changes a customer's name and email. The new row and the
 * {@code CustomerUpdated} event (with the full new details) commit in one transaction. The same
 * details again change nothing and publish nothing; an email of another customer is a 409.
 */
public final class UpdateCustomer {

    private final DataSource dataSource;
    private final CustomerTable customers;
    private final OutboxWriter outbox;
    private final Clock clock;

    public UpdateCustomer(DataSource dataSource, CustomerTable customers, OutboxWriter outbox, Clock clock) {
        this.dataSource = dataSource;
        this.customers = customers;
        this.outbox = outbox;
        this.clock = clock;
    }

    public void routes(Javalin app) {
        app.put("/api/customers/{id}", this::update);
    }

    private void update(Context ctx) {
        CustomerId id = CustomerInput.id(ctx);
        CustomerDetails details = CustomerInput.details(ctx);
        CustomerView view = Transactions.inTransaction(dataSource, "updating customer " + id, connection -> {
            Customer current = customers.lock(connection, id).orElseThrow(() -> ProblemException.notFound("customer", id));
            Optional<Customer.Updated> change = current.update(details);
            if (change.isEmpty()) {
                return current.view();
            }
            Customer.Updated updated = change.get();
            try {
                customers.update(connection, updated.customer(), clock.instant().truncatedTo(ChronoUnit.MICROS));
            } catch (SQLException e) {
                if (SqlFailure.isUniqueViolation(e)) {
                    throw ProblemException.conflict("another customer is registered with the email " + details.email());
                }
                throw e;
            }
            outbox.write(connection, new OutboxMessage(Customer.AGGREGATE, id.toString(),
                    new Message<>(CustomerUpdated.TYPE, 1, updated.event(), RequestContext.metadata(ctx, clock))));
            return updated.customer().view();
        });
        ServiceHttp.json(ctx, 200, view);
    }
}
