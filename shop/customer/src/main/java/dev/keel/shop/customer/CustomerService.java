package dev.keel.shop.customer;

import java.util.List;

import javax.sql.DataSource;

import dev.keel.postgres.Migrations;
import dev.keel.shop.customer.api.CustomerTopics;
import dev.keel.shop.customer.query.CustomerQueries;
import dev.keel.shop.customer.register.RegisterCustomer;
import dev.keel.shop.customer.update.UpdateCustomer;
import dev.keel.shop.platform.Health;
import dev.keel.shop.platform.IdempotencyKeys;
import dev.keel.shop.platform.RunningService;
import dev.keel.shop.platform.ServiceContext;
import dev.keel.shop.platform.ServiceHttp;
import dev.keel.shop.platform.ShopService;
import dev.keel.shop.platform.StartedService;
import dev.keel.shop.platform.messaging.ServiceMessaging;

/**
 * The customer service (port 8081): customers in its own database (schema {@value #SCHEMA}), every
 * change published as {@code CustomerRegistered} / {@code CustomerUpdated} on
 * {@link CustomerTopics#EVENTS} through its transactional outbox, keyed by customer id.
 */
public final class CustomerService implements ShopService {

    public static final String NAME = "customer";
    public static final int DEFAULT_PORT = 8081;
    public static final String SCHEMA = "customer";
    /** Bodies are two short strings; anything near this is not a customer. */
    static final long MAX_BODY_BYTES = 16 * 1024;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int defaultPort() {
        return DEFAULT_PORT;
    }

    @Override
    public List<String> topics() {
        return List.of(CustomerTopics.EVENTS);
    }

    @Override
    public RunningService start(ServiceContext context) {
        DataSource dataSource = context.database().dataSource();
        Migrations.migrate(dataSource, NAME, SCHEMA, "db/shop/customer");
        IdempotencyKeys keys = new IdempotencyKeys(dataSource, SCHEMA);
        CustomerTable customers = new CustomerTable(SCHEMA);
        ServiceMessaging messaging = ServiceMessaging.builder(context).route(Customer.AGGREGATE, CustomerTopics.EVENTS).start();
        try {
            ServiceHttp http = ServiceHttp.builder(NAME)
                    .port(context.port())
                    .maxBodyBytes(MAX_BODY_BYTES)
                    .meterRegistry(messaging.meterRegistry())
                    .health(messaging.readiness(new Health().check("database", context.database()::check)))
                    .routes(app -> {
                        messaging.adminRoutes(app);
                        new RegisterCustomer(dataSource, customers, keys, messaging.outbox(), context.clock()).routes(app);
                        new UpdateCustomer(dataSource, customers, messaging.outbox(), context.clock()).routes(app);
                        new CustomerQueries(dataSource, customers).routes(app);
                    })
                    .start();
            return StartedService.of(http, messaging);
        } catch (RuntimeException e) {
            messaging.close();
            throw e;
        }
    }
}
