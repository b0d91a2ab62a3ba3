package dev.keel.shop.product;

import java.math.BigDecimal;

import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.Requests;
import dev.keel.shop.product.api.NewProduct;
import dev.keel.shop.product.api.ProductUpdate;
import dev.keel.shop.product.api.Sku;
import io.javalin.http.Context;

/** What a request says about a product, checked strictly: every failure is a 400 problem naming the field. */
public final class ProductInput {

    private ProductInput() {
    }

    public static NewProduct newProduct(Context ctx) {
        NewProduct product = Requests.body(ctx, NewProduct.class);
        Requests.printable(product.name(), "name");
        withinLimit(product.price());
        return product;
    }

    public static ProductUpdate update(Context ctx) {
        ProductUpdate update = Requests.body(ctx, ProductUpdate.class);
        Requests.printable(update.name(), "name");
        withinLimit(update.price());
        return update;
    }

    /** The {@code {sku}} path parameter. */
    public static Sku sku(Context ctx) {
        try {
            return new Sku(ctx.pathParam("sku"));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("sku", e.getMessage());
        }
    }

    private static void withinLimit(BigDecimal price) {
        if (price.compareTo(Product.MAX_PRICE) > 0) {
            throw ProblemException.invalid("$.price", "price must be at most " + Product.MAX_PRICE.toPlainString()
                    + ", got " + price.toPlainString());
        }
    }
}
