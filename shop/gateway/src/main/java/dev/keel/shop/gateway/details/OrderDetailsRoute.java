package dev.keel.shop.gateway.details;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.keel.composition.CallContext;
import dev.keel.composition.Composed;
import dev.keel.composition.ComposedResponse;
import dev.keel.composition.Composer;
import dev.keel.composition.Composition;
import dev.keel.composition.Failure;
import dev.keel.composition.Fallback;
import dev.keel.composition.Part;
import dev.keel.composition.Reason;
import dev.keel.composition.Request;
import dev.keel.composition.RequiredPartFailedException;
import dev.keel.composition.RequiredPartUnavailableException;
import dev.keel.shop.customer.api.CustomerView;
import dev.keel.shop.gateway.GatewayProblems;
import dev.keel.shop.gateway.GatewayRoutes;
import dev.keel.shop.gateway.GatewaySettings;
import dev.keel.shop.gateway.Services;
import dev.keel.shop.gateway.Services.Service;
import dev.keel.shop.order.api.OrderView;
import dev.keel.shop.payment.api.PaymentView;
import dev.keel.shop.platform.Problem;
import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.RequestContext;
import dev.keel.shop.platform.Requests;
import dev.keel.shop.platform.ServiceHttp;
import dev.keel.shop.product.api.ProductView;
import dev.keel.shop.shipping.api.ShipmentView;
import io.javalin.http.Context;

/**
 * {@code GET /api/orders/{id}/details}: API composition with keel-composition. The order, its payment
 * and its shipment are asked for at once; the customer and the products (one call per line) as soon as
 * the order is there. Every call has the service's call timeout, the whole has the details deadline,
 * and each service's circuit breaker guards its calls.
 *
 * <p>Customer and product data change rarely, so when their service cannot answer, their last good
 * answer stands in ({@code stale}, with its age). Payment and shipment change with the order's progress:
 * an old status would mislead, so they are {@code missing} with the reason instead. A payment or shipment
 * that does not exist yet (404) is {@code complete} and absent. Without the order there are no details:
 * 404 if it does not exist, 503 or 504 if the order service could not say, 502 if it answered nonsense.
 */
public final class OrderDetailsRoute {

    private final Composer composer;
    private final Services services;
    private final GatewaySettings settings;

    public OrderDetailsRoute(Composer composer, Services services, GatewaySettings settings) {
        this.composer = composer;
        this.services = services;
        this.settings = settings;
    }

    public void routes(GatewayRoutes routes) {
        routes.get("/api/orders/{id}/details", this::details);
    }

    private void details(Context ctx) {
        UUID orderId = Requests.pathUuid(ctx, "id");
        CallContext flow = CallContext.of(RequestContext.correlationId(ctx), RequestContext.traceParent(ctx));
        ServiceHttp.json(ctx, 200, compose(orderId, flow));
    }

    ComposedResponse<OrderDetails> compose(UUID orderId, CallContext flow) {
        Service orders = service("order");
        Service customers = service("customer");
        Service products = service("product");
        Service payments = service("payment");
        Service shipments = service("shipping");
        Fallback<CustomerView> lastGoodCustomer = Fallback.lastGood(settings.lastGoodMaxAge());
        Fallback<ProductView> lastGoodProduct = Fallback.lastGood(settings.lastGoodMaxAge());

        Composition details = composer.composition(flow, settings.detailsDeadline());
        Part<OrderView> order = details.part("order",
                Request.get(orders.downstream(), "/api/orders/{}", orderId).json(OrderView.class)).required();
        Part<CustomerView> customer = details.part("customer", order,
                o -> Request.get(customers.downstream(), "/api/customers/{}", o.customerId()).json(CustomerView.class)
                        .fallback(lastGoodCustomer));
        Part<List<ProductView>> lines = details.parts("products", order, o -> o.lines().stream()
                .map(line -> Request.get(products.downstream(), "/api/products/{}", line.sku()).json(ProductView.class)
                        .fallback(lastGoodProduct))
                .toList());
        Part<Optional<PaymentView>> payment = details.part("payment",
                Request.get(payments.downstream(), "/api/payments/by-order/{}", orderId).jsonOrEmpty(PaymentView.class));
        Part<Optional<ShipmentView>> shipment = details.part("shipment",
                Request.get(shipments.downstream(), "/api/shipments/by-order/{}", orderId).jsonOrEmpty(ShipmentView.class));

        Composed result;
        try {
            result = details.run();
        } catch (RequiredPartFailedException definitive) {
            throw new ProblemException(definitive.failure().reason() == Reason.NOT_FOUND
                    ? Problem.notFound("order", orderId.toString())
                    : GatewayProblems.badGateway("order", "GET /api/orders/" + orderId, definitive.failure().detail(), true));
        } catch (RequiredPartUnavailableException transientFailure) {
            throw new ProblemException(unavailable(transientFailure.failure()));
        }
        return result.response(new OrderDetails(result.get(order), result.value(customer), result.value(lines),
                result.value(payment).flatMap(o -> o), result.value(shipment).flatMap(o -> o)));
    }

    private Service service(String name) {
        return services.find(name).orElseThrow(() -> new ProblemException(GatewayProblems.unavailable(name,
                "the order details", "the gateway has no address for it")));
    }

    private static Problem unavailable(Failure failure) {
        String detail = "the order details need the order from the order service, and " + failure.detail();
        if (failure.reason() == Reason.TIMEOUT || failure.reason() == Reason.DEADLINE) {
            return Problem.of(504, "service-timeout", "Service timed out", detail);
        }
        return Problem.of(503, "service-unavailable", "Service unavailable", detail);
    }
}
