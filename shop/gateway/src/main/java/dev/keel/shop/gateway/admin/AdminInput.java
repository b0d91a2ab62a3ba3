package dev.keel.shop.gateway.admin;

import java.util.Optional;
import java.util.regex.Pattern;

import dev.keel.shop.platform.ProblemException;
import dev.keel.shop.platform.Requests;
import io.javalin.http.Context;

/** The admin routes' checks of what a client sends: ids, names and filters are short plain tokens. */
final class AdminInput {

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    private static final Pattern ACTOR = Pattern.compile("[\\x20-\\x7E]{1,100}");

    static final String ACTOR_HEADER = "X-Actor";

    private AdminInput() {
    }

    static String pathToken(Context ctx, String name) {
        return token(name, ctx.pathParam(name));
    }

    static Optional<String> queryToken(Context ctx, String name) {
        return Requests.query(ctx, name).map(value -> token(name, value));
    }

    /** Who asks: the {@code X-Actor} header (printable ASCII, at most 100 characters), else {@code anonymous}. */
    static String actor(Context ctx) {
        String header = ctx.header(ACTOR_HEADER);
        if (header == null || header.isBlank()) {
            return "anonymous";
        }
        String actor = header.trim();
        if (!ACTOR.matcher(actor).matches()) {
            throw ProblemException.invalid(ACTOR_HEADER, ACTOR_HEADER + " must be 1 to 100 printable ASCII characters");
        }
        return actor;
    }

    private static String token(String name, String value) {
        if (!TOKEN.matcher(value).matches()) {
            throw ProblemException.invalid(name, name + " must be 1 to 128 letters, digits, '_', '.', ':' or '-', got '"
                    + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'");
        }
        return value;
    }
}
