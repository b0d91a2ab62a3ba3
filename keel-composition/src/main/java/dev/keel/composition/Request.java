package dev.keel.composition;

import java.lang.reflect.Array;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.keel.core.json.JsonCodec;

/**
 * One call to a downstream: method, path, how to decode the answer and what stands in when there is
 * none. Immutable.
 *
 * <pre>{@code
 * Request<Customer> customer = Request.get(customers, "/customers/{}", customerId)
 *         .json(Customer.class)
 *         .fallback(Fallback.lastGood(Duration.ofMinutes(10)));
 * }</pre>
 *
 * <p>Each {@code {}} in the path is replaced by the next argument, percent-encoded as one path
 * segment, so an id can never change the path's shape. Only GETs are cached and retried.
 *
 * @param <T> the decoded type of the answer
 */
public final class Request<T> {

    /** Decodes with the composer's codec, which a request does not know when it is built. */
    @FunctionalInterface
    interface BodyDecoder<T> {
        T decode(byte[] body, JsonCodec codec) throws Exception;
    }

    private final Downstream downstream;
    private final String method;
    private final String path;
    private final URI uri;
    private final List<Header> headers;
    private final Optional<Object> body;
    private final BodyDecoder<T> decoder;
    private final Optional<T> notFoundValue;
    private final Fallback<T> fallback;

    private Request(Builder builder, BodyDecoder<T> decoder, Optional<T> notFoundValue, Fallback<T> fallback) {
        this.downstream = builder.downstream;
        this.method = builder.method;
        this.path = builder.pathAndQuery();
        this.uri = downstream.resolve(path);
        this.headers = List.copyOf(builder.headers);
        this.body = builder.body;
        this.decoder = decoder;
        this.notFoundValue = notFoundValue;
        this.fallback = fallback;
    }

    private Request(Request<T> original, Fallback<T> fallback) {
        this.downstream = original.downstream;
        this.method = original.method;
        this.path = original.path;
        this.uri = original.uri;
        this.headers = original.headers;
        this.body = original.body;
        this.decoder = original.decoder;
        this.notFoundValue = original.notFoundValue;
        this.fallback = fallback;
    }

    /** A GET of {@code pathTemplate} on the downstream, each {@code {}} replaced by the next argument. */
    public static Builder get(Downstream downstream, String pathTemplate, Object... pathArguments) {
        return new Builder(downstream, "GET", pathTemplate, pathArguments);
    }

    /** A POST (a batch lookup, say); give it a body with {@link Builder#body(Object)}. Never retried. */
    public static Builder post(Downstream downstream, String pathTemplate, Object... pathArguments) {
        return new Builder(downstream, "POST", pathTemplate, pathArguments);
    }

    /** This request with another fallback. */
    public Request<T> fallback(Fallback<T> fallback) {
        return new Request<>(this, Objects.requireNonNull(fallback, "fallback"));
    }

    public Downstream downstream() {
        return downstream;
    }

    public String method() {
        return method;
    }

    /** The path and query, encoded, as sent. */
    public String path() {
        return path;
    }

    public URI uri() {
        return uri;
    }

    public Fallback<T> fallback() {
        return fallback;
    }

    List<Header> headers() {
        return headers;
    }

    Optional<Object> body() {
        return body;
    }

    BodyDecoder<T> decoder() {
        return decoder;
    }

    Optional<T> notFoundValue() {
        return notFoundValue;
    }

    boolean isIdempotent() {
        return method.equals("GET");
    }

    /** How the call is named in details and logs: method and path, never the host. */
    String describe() {
        return method + " " + path;
    }

    @Override
    public String toString() {
        return describe() + " on " + downstream.name();
    }

    record Header(String name, String value) {
    }

    /** A request whose decoding is not chosen yet; {@link #json(Class)} and its siblings finish it. */
    public static final class Builder {

        private final Downstream downstream;
        private final String method;
        private final String path;
        private final StringBuilder query = new StringBuilder();
        private final List<Header> headers = new ArrayList<>();
        private Optional<Object> body = Optional.empty();

        private Builder(Downstream downstream, String method, String pathTemplate, Object[] pathArguments) {
            this.downstream = Objects.requireNonNull(downstream, "downstream");
            this.method = method;
            this.path = expand(Objects.requireNonNull(pathTemplate, "pathTemplate"), pathArguments);
        }

        /** Adds a query parameter; name and value are percent-encoded. */
        public Builder query(String name, Object value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            query.append(query.isEmpty() ? '?' : '&').append(encode(name)).append('=').append(encode(String.valueOf(value)));
            return this;
        }

        /**
         * Adds a header. {@code X-Correlation-Id} and {@code traceparent} are set by the composition, and
         * headers the JDK client manages itself ({@code Host}, {@code Content-Length}, ...) are refused.
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.equalsIgnoreCase(CallContext.CORRELATION_HEADER) || name.equalsIgnoreCase(CallContext.TRACEPARENT_HEADER)) {
                throw new IllegalArgumentException("the header '" + name + "' is set by the composition from its CallContext");
            }
            try {
                HttpRequest.newBuilder().header(name, value);
            } catch (IllegalArgumentException refused) {
                throw new IllegalArgumentException("the header '" + name + "' cannot be set: " + refused.getMessage(), refused);
            }
            headers.add(new Header(name, value));
            return this;
        }

        /** The body of a POST, written as JSON with the composer's codec. */
        public Builder body(Object value) {
            if (method.equals("GET")) {
                throw new IllegalArgumentException("a GET has no body; use Request.post for " + path);
            }
            this.body = Optional.of(Objects.requireNonNull(value, "body"));
            return this;
        }

        /** The answer is a JSON document of this type (decoded with the composer's codec). */
        public <T> Request<T> json(Class<T> type) {
            Objects.requireNonNull(type, "type");
            return finish((bytes, codec) -> codec.fromBytes(bytes, type), Optional.empty());
        }

        /** The answer is a JSON array of this type. */
        public <T> Request<List<T>> jsonList(Class<T> elementType) {
            Objects.requireNonNull(elementType, "elementType");
            @SuppressWarnings("unchecked")
            Class<T[]> arrayType = (Class<T[]>) Array.newInstance(elementType, 0).getClass();
            return finish((bytes, codec) -> List.of(codec.fromBytes(bytes, arrayType)), Optional.empty());
        }

        /**
         * The answer is a JSON document of this type, or a 404 meaning "there is none" (a shipment that
         * does not exist yet): the part is then complete, with an empty value.
         */
        public <T> Request<Optional<T>> jsonOrEmpty(Class<T> type) {
            Objects.requireNonNull(type, "type");
            return finish((bytes, codec) -> Optional.of(codec.fromBytes(bytes, type)), Optional.of(Optional.empty()));
        }

        /** The answer's body as UTF-8 text. */
        public Request<String> text() {
            return finish((bytes, codec) -> new String(bytes, StandardCharsets.UTF_8), Optional.empty());
        }

        /** The answer decoded by your own decoder. */
        public <T> Request<T> decode(ResponseDecoder<T> decoder) {
            Objects.requireNonNull(decoder, "decoder");
            return finish((bytes, codec) -> decoder.decode(bytes), Optional.empty());
        }

        private <T> Request<T> finish(BodyDecoder<T> decoder, Optional<T> notFoundValue) {
            if (method.equals("POST") && body.isEmpty()) {
                throw new IllegalArgumentException("a POST needs a body: call body(...) before choosing the decoding of " + path);
            }
            return new Request<>(this, decoder, notFoundValue, Fallback.omit());
        }

        private String pathAndQuery() {
            return path + query;
        }

        private static String expand(String template, Object[] arguments) {
            if (!template.startsWith("/")) {
                throw new IllegalArgumentException("a path starts with '/', got '" + template + "'");
            }
            StringBuilder expanded = new StringBuilder();
            int used = 0;
            int from = 0;
            for (int at = template.indexOf("{}"); at >= 0; at = template.indexOf("{}", from)) {
                if (used == arguments.length) {
                    throw new IllegalArgumentException("the path '" + template + "' has more {} than the "
                            + arguments.length + " arguments given");
                }
                Object argument = arguments[used];
                if (argument == null) {
                    throw new IllegalArgumentException("path argument " + (used + 1) + " of '" + template + "' is null");
                }
                expanded.append(template, from, at).append(encode(String.valueOf(argument)));
                used++;
                from = at + 2;
            }
            if (used != arguments.length) {
                throw new IllegalArgumentException("the path '" + template + "' has " + used + " {} but "
                        + arguments.length + " arguments were given");
            }
            return expanded.append(template.substring(from)).toString();
        }

        private static final char[] HEX = "0123456789ABCDEF".toCharArray();

        /** RFC 3986 percent-encoding of everything but unreserved characters. */
        private static String encode(String text) {
            StringBuilder encoded = new StringBuilder(text.length());
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                char c = (char) (b & 0xFF);
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '.' || c == '_' || c == '~') {
                    encoded.append(c);
                } else {
                    encoded.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
                }
            }
            return encoded.toString();
        }
    }
}
