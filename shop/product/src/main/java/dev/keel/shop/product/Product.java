package dev.keel.shop.product;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Optional;

import dev.keel.shop.product.api.NewProduct;
import dev.keel.shop.product.api.ProductAdded;
import dev.keel.shop.product.api.ProductChanged;
import dev.keel.shop.product.api.ProductUpdate;
import dev.keel.shop.product.api.ProductView;
import dev.keel.shop.product.api.Sku;

/**
 * A product of the catalog as the service keeps it, and the decisions about it: pure functions from
 * the current state and the request to the new state and the event that announces it. Prices are EUR
 * with two decimals ({@code 4.5} is kept and published as {@code 4.50}).
 *
 * @param version 1 when added, one more with every change
 */
public record Product(Sku sku, String name, BigDecimal price, long version) {

    /** The outbox's aggregate type of product events (routed to {@code shop.product.events}). */
    public static final String AGGREGATE = "Product";
    /** The highest price the catalog takes, EUR. */
    public static final BigDecimal MAX_PRICE = new BigDecimal("1000000.00");

    /** A new product and its {@link ProductAdded}. */
    public record Added(Product product, ProductAdded event) {
    }

    /** A changed product and its {@link ProductChanged}, with the full new state and the price before. */
    public record Changed(Product product, ProductChanged event) {
    }

    public Product {
        price = euros(price);
    }

    public static Added add(NewProduct request, Instant at) {
        Product product = new Product(request.sku(), request.name(), request.price(), 1);
        return new Added(product, new ProductAdded(product.sku(), product.name(), product.price(), at));
    }

    /** The change to a new name and price; empty when they are the current ones (nothing to store or announce). */
    public Optional<Changed> change(ProductUpdate update) {
        BigDecimal newPrice = euros(update.price());
        if (name.equals(update.name()) && price.compareTo(newPrice) == 0) {
            return Optional.empty();
        }
        Product changed = new Product(sku, update.name(), newPrice, version + 1);
        return Optional.of(new Changed(changed, new ProductChanged(sku, changed.name(), changed.price(), price)));
    }

    public ProductView view() {
        return new ProductView(sku, name, price, version);
    }

    private static BigDecimal euros(BigDecimal amount) {
        // exact: the API's records allow at most two decimals
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }
}
