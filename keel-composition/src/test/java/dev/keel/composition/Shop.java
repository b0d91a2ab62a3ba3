package dev.keel.composition;

import java.math.BigDecimal;
import java.util.List;

/** The shapes of the Shop's services that the tests compose, and their JSON. */
final class Shop {

    private Shop() {
    }

    record Order(String id, String customerId, List<Line> lines) {
    }

    record Line(String productId, int quantity) {
    }

    record Customer(String id, String name) {
    }

    record Product(String id, String name, BigDecimal price) {
    }

    record Payment(String orderId, String state) {
    }

    record Shipment(String orderId, String state) {
    }

    static final String ORDER_JSON = """
            {"id":"o-1","customerId":"c-7","lines":[{"productId":"p-1","quantity":2},{"productId":"p-2","quantity":1}]}""";
    static final String CUSTOMER_JSON = """
            {"id":"c-7","name":"Ada"}""";
    static final String PRODUCT_1_JSON = """
            {"id":"p-1","name":"Kettle","price":25.50}""";
    static final String PRODUCT_2_JSON = """
            {"id":"p-2","name":"Teapot","price":12.00}""";
    static final String PAYMENT_JSON = """
            {"orderId":"o-1","state":"CHARGED"}""";
    static final String SHIPMENT_JSON = """
            {"orderId":"o-1","state":"SHIPPED"}""";

    static final Order ORDER = new Order("o-1", "c-7", List.of(new Line("p-1", 2), new Line("p-2", 1)));
    static final Customer CUSTOMER = new Customer("c-7", "Ada");
    static final Product PRODUCT_1 = new Product("p-1", "Kettle", new BigDecimal("25.50"));
    static final Product PRODUCT_2 = new Product("p-2", "Teapot", new BigDecimal("12.00"));
    static final Payment PAYMENT = new Payment("o-1", "CHARGED");
    static final Shipment SHIPMENT = new Shipment("o-1", "SHIPPED");
}
