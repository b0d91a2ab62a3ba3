package dev.keel.shop.gateway;

import static dev.keel.shop.gateway.TestGateway.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keel.composition.PartStatus;
import dev.keel.shop.customer.api.CustomerDetails;
import dev.keel.shop.customer.api.CustomerView;
import dev.keel.shop.gateway.GatewayRoutes.Route;
import dev.keel.shop.gateway.admin.SagaFound;
import dev.keel.shop.gateway.admin.ServiceHealth;
import dev.keel.shop.gateway.admin.ServicesHealth;
import dev.keel.shop.gateway.audit.AuditEntry;
import dev.keel.shop.gateway.audit.AuditPage;
import dev.keel.shop.gateway.details.OrderDetails;
import dev.keel.shop.inventory.api.StockAddition;
import dev.keel.shop.inventory.api.StockView;
import dev.keel.shop.order.api.CancelOrder;
import dev.keel.shop.order.api.OrderLine;
import dev.keel.shop.order.api.OrderView;
import dev.keel.shop.order.api.PlaceOrder;
import dev.keel.shop.order.api.ShippingAddress;
import dev.keel.shop.orderview.api.OrderPage;
import dev.keel.shop.orderview.api.OrderStatistics;
import dev.keel.shop.orderview.api.OrderSummary;
import dev.keel.shop.payment.api.PaymentView;
import dev.keel.shop.payment.api.ProviderSettings;
import dev.keel.shop.platform.Problem;
import dev.keel.shop.product.api.NewProduct;
import dev.keel.shop.product.api.ProductUpdate;
import dev.keel.shop.product.api.ProductView;
import dev.keel.shop.shipping.api.Address;
import dev.keel.shop.shipping.api.ShipmentView;
import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The OpenAPI document is served, kept in docs/, and agrees with the gateway's routes, docs/shop-api.md and the contract records. */
@WithInfrastructure
class OpenApiTest {

    private static final Path DOCS = Path.of("..", "..", "docs");
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    /** Each schema of the document and the record it describes. */
    private static final Map<String, Class<? extends Record>> RECORDS = Map.ofEntries(
            Map.entry("Problem", Problem.class), Map.entry("FieldError", Problem.FieldError.class),
            Map.entry("CustomerDetails", CustomerDetails.class), Map.entry("CustomerView", CustomerView.class),
            Map.entry("NewProduct", NewProduct.class), Map.entry("ProductUpdate", ProductUpdate.class),
            Map.entry("ProductView", ProductView.class), Map.entry("StockAddition", StockAddition.class),
            Map.entry("StockView", StockView.class), Map.entry("PaymentView", PaymentView.class),
            Map.entry("ProviderSettings", ProviderSettings.class), Map.entry("Address", Address.class),
            Map.entry("ShipmentView", ShipmentView.class), Map.entry("ShippingAddress", ShippingAddress.class),
            Map.entry("PlaceOrder", PlaceOrder.class), Map.entry("PlaceOrderItem", PlaceOrder.Item.class),
            Map.entry("OrderLine", OrderLine.class), Map.entry("OrderView", OrderView.class),
            Map.entry("CancelOrder", CancelOrder.class), Map.entry("OrderSummary", OrderSummary.class),
            Map.entry("OrderPage", OrderPage.class), Map.entry("OrderStatistics", OrderStatistics.class),
            Map.entry("PartStatus", PartStatus.class), Map.entry("OrderDetails", OrderDetails.class),
            Map.entry("ServiceHealth", ServiceHealth.class), Map.entry("ServicesHealth", ServicesHealth.class),
            Map.entry("SagaFound", SagaFound.class), Map.entry("AuditEntry", AuditEntry.class),
            Map.entry("AuditPage", AuditPage.class));

    private static FakeShop shop;
    private static TestGateway gateway;
    private static JsonNode document;

    @BeforeAll
    static void start(TestDatabase db) throws IOException {
        shop = new FakeShop();
        gateway = TestGateway.start(db, shop.directory(), Map.of());
        document = TestGateway.JSON.readTree(Files.readAllBytes(DOCS.resolve("openapi.json")));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        shop.close();
    }

    @Test
    void the_served_document_is_the_one_in_docs_byte_for_byte() throws IOException {
        HttpResponse<String> served = gateway.get("/openapi.json");

        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(served.body())
                .as("docs/openapi.json and the gateway's resource dev/keel/shop/gateway/openapi.json must be the same file")
                .isEqualTo(Files.readString(DOCS.resolve("openapi.json")));
    }

    @Test
    void the_document_is_openapi_3_1_and_every_reference_in_it_resolves() {
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        List<String> references = new ArrayList<>();
        collectReferences(document, references);

        assertThat(references).isNotEmpty().allSatisfy(reference -> {
            assertThat(reference).startsWith("#/");
            assertThat(document.at(reference.substring(1)).isMissingNode()).as(reference + " resolves").isFalse();
        });
    }

    @Test
    void every_path_parameter_is_declared_and_every_operation_has_a_unique_id_and_answers() {
        Set<String> operationIds = new TreeSet<>();
        document.get("paths").properties().forEach(path -> operations(path.getValue()).forEach((method, operation) -> {
            Set<String> declared = new TreeSet<>();
            parameters(path.getValue(), operation).stream().filter(parameter -> parameter.get("in").asText().equals("path"))
                    .forEach(parameter -> {
                        assertThat(parameter.get("required").asBoolean()).isTrue();
                        declared.add(parameter.get("name").asText());
                    });
            assertThat(declared).as(method + " " + path.getKey()).isEqualTo(templateNames(path.getKey()));
            assertThat(operationIds.add(operation.get("operationId").asText())).as("unique " + operation.get("operationId")).isTrue();
            assertThat(operation.get("responses").size()).isPositive();
        }));
    }

    @Test
    void every_route_the_gateway_serves_is_in_the_document() {
        Map<String, Set<String>> documented = documentedOperations();

        for (Route route : gateway.gateway().routes()) {
            if (route.isSubtree() || isSubtreeRoot(route)) {
                String prefix = route.path().replace("/<rest>", "");
                assertThat(documented.keySet()).as("documented paths under " + prefix)
                        .anyMatch(path -> path.equals(prefix) || path.startsWith(prefix + "/"));
            } else {
                assertThat(documented.getOrDefault(normalise(route.path()), Set.of())).as(route.method() + " " + route.path())
                        .contains(route.method());
            }
        }
    }

    @Test
    void every_operation_in_the_document_is_served_by_the_gateway() {
        List<Route> routes = gateway.gateway().routes();

        documentedOperations().forEach((path, methods) -> methods.forEach(method -> assertThat(routes)
                .as(method + " " + path + " is routed or served")
                .anyMatch(route -> route.method().equals(method) && serves(route, path))));
    }

    @Test
    void every_route_of_the_shop_api_contract_reachable_through_the_gateway_is_in_the_document() throws IOException {
        String contract = Files.readString(DOCS.resolve("shop-api.md"));
        Matcher routes = Pattern.compile("`(GET|POST|PUT|PATCH|DELETE) (/[^`\\s]*)`").matcher(contract);
        Map<String, Set<String>> documented = documentedOperations();
        int checked = 0;
        while (routes.find()) {
            String path = routes.group(2).replaceAll("\\?.*$", "");
            if (path.startsWith("/admin/")) {
                continue; // the services' own admin endpoints, which the gateway aggregates under /api/admin
            }
            assertThat(documented.getOrDefault(normalise(path), Set.of())).as(routes.group(1) + " " + path).contains(routes.group(1));
            checked++;
        }
        assertThat(checked).isGreaterThan(30);
    }

    @Test
    void every_schema_of_a_contract_record_has_exactly_the_records_fields() {
        JsonNode schemas = document.get("components").get("schemas");
        RECORDS.forEach((name, type) -> {
            JsonNode schema = schemas.get(name);
            assertThat(schema).as("schema " + name).isNotNull();
            Set<String> properties = new TreeSet<>();
            schema.get("properties").fieldNames().forEachRemaining(properties::add);
            Set<String> components = new TreeSet<>();
            Set<String> optional = new TreeSet<>();
            for (RecordComponent component : type.getRecordComponents()) {
                components.add(component.getName());
                Class<?> kind = component.getType();
                if (kind == Optional.class || kind == OptionalInt.class || kind == OptionalLong.class) {
                    optional.add(component.getName());
                }
            }
            assertThat(properties).as("properties of " + name).isEqualTo(components);
            Set<String> required = new TreeSet<>();
            schema.path("required").forEach(field -> required.add(field.asText()));
            assertThat(components).as("required fields of " + name).containsAll(required);
            assertThat(java.util.Collections.disjoint(required, optional)).as("optional fields of " + name + " are not required").isTrue();
        });
    }

    private static boolean isSubtreeRoot(Route route) {
        return gateway.gateway().routes().stream().anyMatch(other -> other.path().equals(route.path() + "/<rest>"));
    }

    private static boolean serves(Route route, String documentedPath) {
        if (route.isSubtree()) {
            String prefix = route.path().replace("/<rest>", "");
            return documentedPath.startsWith(prefix + "/");
        }
        return normalise(route.path()).equals(documentedPath);
    }

    /** A path with every parameter written {@code {}}, so that names do not matter. */
    private static String normalise(String path) {
        return path.replaceAll("\\{[^}]+}", "{}");
    }

    private static Set<String> templateNames(String path) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\{([^}]+)}").matcher(path);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static Map<String, Set<String>> documentedOperations() {
        Map<String, Set<String>> operations = new LinkedHashMap<>();
        document.get("paths").properties().forEach(path -> operations.put(normalise(path.getKey()),
                new TreeSet<>(operations(path.getValue()).keySet())));
        return operations;
    }

    private static Map<String, JsonNode> operations(JsonNode pathItem) {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        pathItem.properties().forEach(entry -> {
            if (METHODS.contains(entry.getKey())) {
                operations.put(entry.getKey().toUpperCase(java.util.Locale.ROOT), entry.getValue());
            }
        });
        return operations;
    }

    private static List<JsonNode> parameters(JsonNode pathItem, JsonNode operation) {
        List<JsonNode> parameters = new ArrayList<>();
        for (JsonNode holder : List.of(pathItem, operation)) {
            holder.path("parameters").forEach(parameter -> parameters.add(parameter.has("$ref")
                    ? document.at(parameter.get("$ref").asText().substring(1)) : parameter));
        }
        return parameters;
    }

    private static void collectReferences(JsonNode node, List<String> references) {
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                if (entry.getKey().equals("$ref")) {
                    references.add(entry.getValue().asText());
                } else {
                    collectReferences(entry.getValue(), references);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectReferences(child, references));
        }
    }
}
