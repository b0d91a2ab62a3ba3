package dev.keel.shop.customer;

import dev.keel.shop.customer.api.CustomerDetails;
import dev.keel.shop.customer.api.CustomerId;
import dev.keel.shop.platform.Requests;
import io.javalin.http.Context;

/** What a request says about a customer, checked strictly: every failure is a 400 problem naming the field. */
public final class CustomerInput {

    private CustomerInput() {
    }

    /** The body as {@link CustomerDetails}: JSON, no unknown fields, name and email valid and printable. */
    public static CustomerDetails details(Context ctx) {
        CustomerDetails details = Requests.body(ctx, CustomerDetails.class);
        Requests.printable(details.name(), "name");
        Requests.printable(details.email(), "email");
        return details;
    }

    /** The {@code {id}} path parameter. */
    public static CustomerId id(Context ctx) {
        return new CustomerId(Requests.pathUuid(ctx, "id"));
    }
}
