package dev.keel.core.json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

/**
 * JSON on Jackson, configured once for all of Keel: records, {@code java.time} as ISO-8601 text,
 * {@code Optional}, {@link dev.keel.core.TypedId} as bare values, decimals as {@code BigDecimal}, absent
 * values omitted, and an explicit {@link UnknownFields} policy.
 *
 * <p>Every failure is a {@link JsonCodecException} that says what was being read, why it failed and
 * where. Instances are immutable and thread-safe; make one and share it.
 *
 * <pre>{@code
 * JsonCodec codec = JsonCodec.tolerant();
 * byte[] json = codec.toBytes(new OrderPlaced(orderId, customerId, lines));
 * OrderPlaced back = codec.fromBytes(json, OrderPlaced.class);
 * }</pre>
 */
public final class JsonCodec {

    private static final JsonCodec TOLERANT = builder().unknownFields(UnknownFields.IGNORE).build();
    private static final JsonCodec STRICT = builder().unknownFields(UnknownFields.FAIL).build();

    private final ObjectMapper mapper;
    private final UnknownFields unknownFields;

    private JsonCodec(ObjectMapper mapper, UnknownFields unknownFields) {
        this.mapper = mapper;
        this.unknownFields = unknownFields;
    }

    /** Ignores unknown fields: for stored events and messages from other services. */
    public static JsonCodec tolerant() {
        return TOLERANT;
    }

    /**
     * Fails on unknown fields and on a number or boolean where text is expected: for input typed by
     * people and programs (request bodies).
     */
    public static JsonCodec strict() {
        return STRICT;
    }

    public static Builder builder() {
        return new Builder();
    }

    public UnknownFields unknownFields() {
        return unknownFields;
    }

    public byte[] toBytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw writeFailure(value, e);
        }
    }

    public String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw writeFailure(value, e);
        }
    }

    public JsonNode toTree(Object value) {
        try {
            return mapper.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new JsonCodecException("cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    public <T> T fromBytes(byte[] json, Class<T> type) {
        Objects.requireNonNull(json, "json");
        try {
            return requirePresent(mapper.readValue(json, type), type.getSimpleName());
        } catch (IOException e) {
            throw readFailure(type.getSimpleName(), e);
        }
    }

    public <T> T fromJson(String json, Class<T> type) {
        Objects.requireNonNull(json, "json");
        try {
            return requirePresent(mapper.readValue(json, type), type.getSimpleName());
        } catch (IOException e) {
            throw readFailure(type.getSimpleName(), e);
        }
    }

    public <T> T fromJson(String json, TypeReference<T> type) {
        Objects.requireNonNull(json, "json");
        JavaType javaType = mapper.getTypeFactory().constructType(type);
        try {
            return requirePresent(mapper.readValue(json, javaType), javaType.getRawClass().getSimpleName());
        } catch (IOException e) {
            throw readFailure(javaType.getRawClass().getSimpleName(), e);
        }
    }

    public <T> T fromTree(JsonNode tree, Class<T> type) {
        try {
            return requirePresent(mapper.treeToValue(tree, type), type.getSimpleName());
        } catch (IOException e) {
            throw readFailure(type.getSimpleName(), e);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof IOException io) {
                throw readFailure(type.getSimpleName(), io);
            }
            throw e;
        }
    }

    public JsonNode readTree(byte[] json) {
        try {
            return requirePresent(mapper.readTree(json), "JSON document");
        } catch (IOException e) {
            throw readFailure("JSON document", e);
        }
    }

    public JsonNode readTree(String json) {
        try {
            return requirePresent(mapper.readTree(json), "JSON document");
        } catch (IOException e) {
            throw readFailure("JSON document", e);
        }
    }

    /** An empty object node, to build JSON by hand (upcasters do). */
    public ObjectNode objectNode() {
        return mapper.createObjectNode();
    }

    /**
     * A copy of the underlying mapper, for libraries that want a Jackson {@link ObjectMapper} (an HTTP
     * framework, say). Changing the copy does not change this codec.
     */
    public ObjectMapper mapperCopy() {
        return mapper.copy();
    }

    private static <T> T requirePresent(T value, String target) {
        if (value == null) {
            throw new JsonCodecException(target, "$", "the document is empty or null", null);
        }
        return value;
    }

    private static JsonCodecException writeFailure(Object value, JsonProcessingException e) {
        return new JsonCodecException("cannot write " + value.getClass().getSimpleName() + " as JSON: "
                + e.getOriginalMessage(), e);
    }

    private static JsonCodecException readFailure(String target, IOException e) {
        if (!(e instanceof JacksonException jackson)) {
            throw new UncheckedIOException(e);
        }
        String path = e instanceof JsonMappingException mapping ? path(mapping.getPath()) : "$";
        String reason;
        if (e instanceof UnrecognizedPropertyException unknown) {
            reason = "unknown field '" + unknown.getPropertyName() + "'";
            path = path(unknown.getPath().subList(0, Math.max(0, unknown.getPath().size() - 1)));
        } else if (e instanceof InvalidFormatException invalid && invalid.getTargetType() == String.class) {
            reason = "expected a string";
        } else if (e instanceof InvalidFormatException invalid) {
            reason = "'" + invalid.getValue() + "' is not a valid " + invalid.getTargetType().getSimpleName();
        } else if (e instanceof ValueInstantiationException instantiation) {
            Throwable cause = instantiation.getCause();
            reason = cause != null && cause.getMessage() != null ? cause.getMessage() : "invalid value";
        } else if (e instanceof MismatchedInputException mismatched) {
            reason = mismatchReason(mismatched);
        } else if (e instanceof JsonParseException) {
            reason = "malformed JSON (" + jackson.getOriginalMessage().lines().findFirst().orElse("") + ")";
            var location = jackson.getLocation();
            if (location != null && location.getLineNr() > 0) {
                reason += " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            }
        } else {
            reason = jackson.getOriginalMessage().lines().findFirst().orElse("invalid JSON");
        }
        return new JsonCodecException(target, path, reason, e);
    }

    private static String mismatchReason(MismatchedInputException mismatched) {
        String original = mismatched.getOriginalMessage();
        Class<?> expected = mismatched.getTargetType();
        if (original != null && original.startsWith("Missing required creator property")) {
            return "missing required field";
        }
        if (original != null && original.contains("No content to map")) {
            return "the document is empty";
        }
        if (original != null && original.contains("Cannot map `null` into type")) {
            return "null is not allowed here";
        }
        if (expected != null) {
            return "expected " + describe(expected);
        }
        return original == null ? "unexpected input" : original.lines().findFirst().orElse("unexpected input");
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class) {
            return "an integer";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "a " + type.getSimpleName() + " object";
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder("$");
        for (JsonMappingException.Reference reference : references) {
            if (reference.getFieldName() != null) {
                path.append('.').append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    public static final class Builder {
        private UnknownFields unknownFields = UnknownFields.IGNORE;
        private boolean indent;

        private Builder() {
        }

        public Builder unknownFields(UnknownFields policy) {
            this.unknownFields = Objects.requireNonNull(policy);
            return this;
        }

        /** Pretty-printed output, for documents people read (OpenAPI, examples). */
        public Builder indent(boolean indent) {
            this.indent = indent;
            return this;
        }

        public JsonCodec build() {
            ObjectMapper mapper = JsonMapper.builder()
                    .addModule(new ParameterNamesModule())
                    .addModule(new Jdk8Module())
                    .addModule(new JavaTimeModule())
                    .addModule(new TypedIdModule())
                    .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, unknownFields == UnknownFields.FAIL)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                    .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                    .configure(SerializationFeature.INDENT_OUTPUT, indent)
                    .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                    .serializationInclusion(JsonInclude.Include.NON_ABSENT)
                    // input typed by people and programs: a number or a boolean where text belongs is a
                    // wrong type, not a string (ALLOW_COERCION_OF_SCALARS does not cover this direction)
                    .withCoercionConfig(LogicalType.Textual, textual -> {
                        if (unknownFields == UnknownFields.FAIL) {
                            textual.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                        }
                    })
                    .build();
            return new JsonCodec(mapper, unknownFields);
        }
    }
}
