package dev.keel.shop.gateway;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.keel.shop.customer.api.CustomerId;
import dev.keel.shop.customer.api.CustomerView;
import dev.keel.shop.inventory.api.StockView;
import dev.keel.shop.order.api.OrderId;
import dev.keel.shop.order.api.OrderLine;
import dev.keel.shop.order.api.OrderView;
import dev.keel.shop.order.api.ShippingAddress;
import dev.keel.shop.orderview.api.OrderPage;
import dev.keel.shop.orderview.api.OrderStatistics;
import dev.keel.shop.orderview.api.OrderSummary;
import dev.keel.shop.payment.api.PaymentView;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.ServiceDirectory;
import dev.keel.shop.platform.ServiceHttp;
import dev.keel.shop.product.api.ProductView;
import dev.keel.shop.product.api.Sku;
import dev.keel.shop.shipping.api.Address;
import dev.keel.shop.shipping.api.ShipmentView;
import io.javalin.Javalin;

/**
 * Every Shop service as a {@link StandIn} answering the routes of docs/shop-api.md with canned data, made
 * from the services' contract records: an approved order with two lines, its customer, products, payment
 * and shipment, and a pending order with neither payment nor shipment yet. Payment has a parked message,
 * order a saga and replicas, order-view a projection.
 */
final class FakeShop implements AutoCloseable {

    static final UUID APPROVED_ORDER = UUID.fromString("0190a000-0000-7000-8000-000000000001");
    static final UUID PENDING_ORDER = UUID.fromString("0190a000-0000-7000-8000-000000000002");
    static final UUID UNKNOWN_ORDER = UUID.fromString("0190a000-0000-7000-8000-00000000dead");
    /** An order the order service answers with a body that is not an order. */
    static final UUID GARBLED_ORDER = UUID.fromString("0190a000-0000-7000-8000-0000000000ff");
    static final UUID CUSTOMER = UUID.fromString("0190a000-0000-7000-8000-0000000000c1");
    static final UUID PAYMENT = UUID.fromString("0190a000-0000-7000-8000-0000000000a1");
    static final UUID SHIPMENT = UUID.fromString("0190a000-0000-7000-8000-0000000000b1");
    static final String SAGA = "0190a000-0000-7000-8000-0000000005a1";
    static final String KETTLE = "KETTLE-1";
    static final String MUG = "MUG-2";
    static final Instant PLACED = Instant.parse("2025-03-01T10:00:00Z");
    static final ShippingAddress ADDRESS = new ShippingAddress("1 Main Street", "Berlin", "10115", "DE");

    final StandIn customer;
    final StandIn product;
    final StandIn inventory;
    final StandIn payment;
    final StandIn shipping;
    final StandIn order;
    final StandIn orderView;

    FakeShop() {
        customer = StandIn.start("customer", FakeShop::customerRoutes);
        product = StandIn.start("product", FakeShop::productRoutes);
        inventory = StandIn.start("inventory", app -> app.get("/api/inventory/{sku}", ctx ->
                ServiceHttp.json(ctx, 200, new StockView(ctx.pathParam("sku"), 10, 2, 8))));
        payment = StandIn.start("payment", FakeShop::paymentRoutes);
        shipping = StandIn.start("shipping", FakeShop::shippingRoutes);
        order = StandIn.start("order", FakeShop::orderRoutes);
        orderView = StandIn.start("order-view", FakeShop::orderViewRoutes);
    }

    List<StandIn> all() {
        return List.of(customer, product, inventory, payment, shipping, order, orderView);
    }

    /** Where every stand-in answers, under its service's name. */
    ServiceDirectory directory() {
        Map<String, URI> urls = new LinkedHashMap<>();
        all().forEach(standIn -> urls.put(standIn.name(), standIn.uri()));
        urls.put("gateway", URI.create("http://localhost:1"));
        return new ServiceDirectory(urls);
    }

    static OrderView approvedOrder() {
        return new OrderView(new OrderId(APPROVED_ORDER), CUSTOMER, "Ada Lovelace", "APPROVED",
                List.of(new OrderLine(KETTLE, "Kettle", 1, new BigDecimal("25.50")),
                        new OrderLine(MUG, "Mug", 2, new BigDecimal("7.25"))),
                new BigDecimal("40.00"), ADDRESS, null, PLACED, 4, "0000000000000042-0000000000000007");
    }

    static OrderView pendingOrder() {
        return new OrderView(new OrderId(PENDING_ORDER), CUSTOMER, "Ada Lovelace", "PENDING",
                List.of(new OrderLine(KETTLE, "Kettle", 1, new BigDecimal("25.50"))),
                new BigDecimal("25.50"), ADDRESS, null, PLACED, 1, "0000000000000043-0000000000000001");
    }

    static CustomerView ada() {
        return new CustomerView(new CustomerId(CUSTOMER), "Ada Lovelace", "ada@example.com", PLACED.minusSeconds(3600), 1);
    }

    private static void customerRoutes(Javalin app) {
        app.get("/api/customers/{id}", ctx -> {
            if (!ctx.pathParam("id").equals(CUSTOMER.toString())) {
                throw ProblemException.notFound("customer", ctx.pathParam("id"));
            }
            ServiceHttp.json(ctx, 200, ada());
        });
        app.get("/api/customers", ctx -> ServiceHttp.json(ctx, 200, List.of(ada())));
        app.post("/api/customers", ctx -> {
            var details = dev.keel.shop.platform.Requests.body(ctx, dev.keel.shop.customer.api.CustomerDetails.class);
            UUID id = UUID.fromString("0190a000-0000-7000-8000-0000000000c2");
            ctx.header("Location", "http://localhost:" + ctx.port() + "/api/customers/" + id);
            ServiceHttp.json(ctx, 201, new CustomerView(new CustomerId(id), details.name(), details.email(), PLACED, 1));
        });
    }

    private static void productRoutes(Javalin app) {
        app.get("/api/products/{sku}", ctx -> {
            String sku = ctx.pathParam("sku");
            switch (sku) {
                case KETTLE -> ServiceHttp.json(ctx, 200, new ProductView(new Sku(KETTLE), "Kettle", new BigDecimal("25.50"), 3));
                case MUG -> ServiceHttp.json(ctx, 200, new ProductView(new Sku(MUG), "Mug", new BigDecimal("7.25"), 1));
                default -> throw ProblemException.notFound("product", sku);
            }
        });
        app.post("/api/products", ctx -> {
            throw ProblemException.conflict("a product with SKU KETTLE-1 exists already");
        });
    }

    private static void paymentRoutes(Javalin app) {
        app.get("/api/payments/by-order/{orderId}", ctx -> {
            if (!ctx.pathParam("orderId").equals(APPROVED_ORDER.toString())) {
                throw ProblemException.notFound("payment of order", ctx.pathParam("orderId"));
            }
            ServiceHttp.json(ctx, 200, new PaymentView(PAYMENT, APPROVED_ORDER, CUSTOMER, new BigDecimal("40.00"), "CHARGED",
                    null, PLACED.plusSeconds(2)));
        });
        app.get("/admin/parked", ctx -> ServiceHttp.json(ctx, 200, List.of(object(
                "id", 7, "consumer", "payment-commands", "topic", "shop.payment.commands", "key", APPROVED_ORDER.toString(),
                "state", "PARKED", "reason", "FAILED", "error", "provider unreachable", "attempts", 5,
                "parkedAt", "2025-03-01T10:00:05Z", "waitingBehind", 1, "where", "shop.payment.commands/2@17"))));
        app.post("/admin/parked/{id}/retry", ctx -> parkedOperation(ctx, "RETRYING"));
        app.post("/admin/parked/{id}/skip", ctx -> parkedOperation(ctx, "SKIPPED"));
    }

    private static void parkedOperation(io.javalin.http.Context ctx, String state) {
        if (!ctx.pathParam("id").equals("7")) {
            throw ProblemException.notFound("parked message", ctx.pathParam("id"));
        }
        ServiceHttp.json(ctx, 200, Map.of("id", 7, "state", state));
    }

    private static void shippingRoutes(Javalin app) {
        app.get("/api/shipments/by-order/{orderId}", ctx -> {
            if (!ctx.pathParam("orderId").equals(APPROVED_ORDER.toString())) {
                throw ProblemException.notFound("shipment of order", ctx.pathParam("orderId"));
            }
            ServiceHttp.json(ctx, 200, new ShipmentView(SHIPMENT, APPROVED_ORDER, CUSTOMER,
                    new Address("1 Main Street", "Berlin", "10115", "DE"), 3, "CREATED", PLACED.plusSeconds(3)));
        });
        app.post("/api/shipments/{shipmentId}/ship", ctx -> {
            throw ProblemException.conflict("shipment " + ctx.pathParam("shipmentId") + " is SHIPPED already");
        });
    }

    private static void orderRoutes(Javalin app) {
        app.get("/api/orders/replicas", ctx -> ServiceHttp.json(ctx, 200, replicas()));
        app.get("/api/orders/{id}", ctx -> {
            String id = ctx.pathParam("id");
            if (id.equals(APPROVED_ORDER.toString())) {
                ServiceHttp.json(ctx, 200, approvedOrder());
            } else if (id.equals(PENDING_ORDER.toString())) {
                ServiceHttp.json(ctx, 200, pendingOrder());
            } else if (id.equals(GARBLED_ORDER.toString())) {
                ctx.contentType("application/json").result("this is not an order");
            } else {
                throw ProblemException.notFound("order", id);
            }
        });
        app.post("/api/orders", ctx -> {
            dev.keel.shop.platform.Requests.body(ctx, dev.keel.shop.order.api.PlaceOrder.class);
            ctx.header("Location", "/api/orders/" + PENDING_ORDER);
            ServiceHttp.json(ctx, 201, pendingOrder());
        });
        app.get("/api/orders/{id}/history", ctx -> {
            if (!ctx.pathParam("id").equals(APPROVED_ORDER.toString())) {
                throw ProblemException.notFound("order", ctx.pathParam("id"));
            }
            ServiceHttp.json(ctx, 200, List.of(
                    object("version", 1, "type", "shop.order.OrderPlaced", "recordedAt", "2025-03-01T10:00:00Z",
                            "position", "0000000000000040-0000000000000001", "data", Map.of("orderId", APPROVED_ORDER.toString())),
                    object("version", 2, "type", "shop.order.OrderApproved", "recordedAt", "2025-03-01T10:00:03Z",
                            "position", "0000000000000042-0000000000000007", "data", Map.of("orderId", APPROVED_ORDER.toString()))));
        });
        app.get("/admin/sagas", ctx -> ServiceHttp.json(ctx, 200, List.of(saga())));
        app.get("/admin/sagas/{id}", ctx -> {
            if (!ctx.pathParam("id").equals(SAGA)) {
                throw ProblemException.notFound("saga", ctx.pathParam("id"));
            }
            Map<String, Object> withLog = new LinkedHashMap<>(saga());
            withLog.put("transitions", List.of(
                    Map.of("at", "2025-03-01T10:00:00Z", "from", "STARTED", "to", "RESERVING", "reply", "—"),
                    Map.of("at", "2025-03-01T10:00:01Z", "from", "RESERVING", "to", "CHARGING", "reply", "StockReserved"),
                    Map.of("at", "2025-03-01T10:00:02Z", "from", "CHARGING", "to", "SHIPPING", "reply", "PaymentCharged"),
                    Map.of("at", "2025-03-01T10:00:03Z", "from", "SHIPPING", "to", "APPROVED", "reply", "ShipmentCreated")));
            ServiceHttp.json(ctx, 200, withLog);
        });
        app.get("/admin/replicas", ctx -> ServiceHttp.json(ctx, 200, replicas()));
    }

    private static Map<String, Object> saga() {
        return Map.of("id", SAGA, "type", "place-order", "status", "COMPLETED", "orderId", APPROVED_ORDER.toString(),
                "startedAt", "2025-03-01T10:00:00Z", "updatedAt", "2025-03-01T10:00:03Z");
    }

    private static List<Map<String, Object>> replicas() {
        return List.of(Map.of("name", "customers", "rows", 1, "stalenessMs", 120, "lastEventAt", "2025-03-01T09:59:59Z"),
                Map.of("name", "products", "rows", 2, "stalenessMs", 80, "lastEventAt", "2025-03-01T09:59:58Z"));
    }

    private static void orderViewRoutes(Javalin app) {
        app.get("/api/order-view/orders", ctx -> ServiceHttp.json(ctx, 200, new OrderPage(List.of(
                new OrderSummary(APPROVED_ORDER, CUSTOMER, "Ada Lovelace", "APPROVED", 3, new BigDecimal("40.00"), PLACED,
                        PLACED.plusSeconds(3))), 1, 0, 20, "0000000000000042-0000000000000007", 12)));
        app.get("/api/order-view/statistics", ctx -> ServiceHttp.json(ctx, 200, new OrderStatistics(2,
                Map.of("APPROVED", 1L, "PENDING", 1L), new BigDecimal("40.00"), new BigDecimal("40.00"), "0000000000000043-0000000000000001")));
        app.get("/admin/projections", ctx -> ServiceHttp.json(ctx, 200, List.of(Map.of(
                "name", "order-summaries", "version", 1, "status", "LIVE", "position", "0000000000000042-0000000000000007",
                "lagMs", 12))));
        app.post("/admin/projections/{name}/rebuild", ctx -> {
            if (!ctx.pathParam("name").equals("order-summaries")) {
                throw ProblemException.notFound("projection", ctx.pathParam("name"));
            }
            ServiceHttp.json(ctx, 202, Map.of("name", "order-summaries", "status", "REBUILDING", "version", 2));
        });
    }

    /** A JSON object with its fields in the order given. */
    static Map<String, Object> object(Object... namesAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            object.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return object;
    }

    @Override
    public void close() {
        all().forEach(StandIn::close);
    }
}
