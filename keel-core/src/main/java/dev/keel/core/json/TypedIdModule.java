package dev.keel.core.json;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.Deserializers;
import com.fasterxml.jackson.databind.deser.KeyDeserializers;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.module.SimpleSerializers;
import dev.keel.core.TypedId;

/** Writes a {@link TypedId} record as its bare value and reads it back through its canonical constructor. */
final class TypedIdModule extends SimpleModule {

    TypedIdModule() {
        super("keel-typed-ids");
        SimpleSerializers serializers = new SimpleSerializers();
        serializers.addSerializer(TypedId.class, new TypedIdSerializer());
        setSerializers(serializers);
    }

    @Override
    public void setupModule(SetupContext context) {
        super.setupModule(context);
        context.addDeserializers(new Deserializers.Base() {
            @Override
            public JsonDeserializer<?> findBeanDeserializer(JavaType type, DeserializationConfig config, BeanDescription description) {
                Class<?> raw = type.getRawClass();
                return isTypedIdRecord(raw) ? new TypedIdDeserializer(raw) : null;
            }
        });
        context.addKeyDeserializers(new KeyDeserializers() {
            @Override
            public KeyDeserializer findKeyDeserializer(JavaType type, DeserializationConfig config, BeanDescription description) {
                Class<?> raw = type.getRawClass();
                if (!isTypedIdRecord(raw)) {
                    return null;
                }
                TypedIdDeserializer values = new TypedIdDeserializer(raw);
                return new KeyDeserializer() {
                    @Override
                    public Object deserializeKey(String key, DeserializationContext context) throws IOException {
                        return values.fromText(key, context);
                    }
                };
            }
        });
        context.addKeySerializers(new SimpleSerializers() {
            {
                addSerializer(TypedId.class, new JsonSerializer<TypedId>() {
                    @Override
                    public void serialize(TypedId value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                        generator.writeFieldName(value.asString());
                    }
                });
            }
        });
    }

    private static boolean isTypedIdRecord(Class<?> raw) {
        return TypedId.class.isAssignableFrom(raw) && raw.isRecord() && raw.getRecordComponents().length == 1;
    }

    @SuppressWarnings("rawtypes")
    private static final class TypedIdSerializer extends JsonSerializer<TypedId> {
        @Override
        public void serialize(TypedId id, JsonGenerator generator, SerializerProvider provider) throws IOException {
            provider.defaultSerializeValue(id.value(), generator);
        }
    }

    private static final class TypedIdDeserializer extends JsonDeserializer<Object> {
        private final Class<?> idType;
        private final RecordComponent component;
        private final Constructor<?> constructor;

        TypedIdDeserializer(Class<?> idType) {
            this.idType = idType;
            this.component = idType.getRecordComponents()[0];
            try {
                this.constructor = idType.getDeclaredConstructor(component.getType());
                this.constructor.setAccessible(true);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("record " + idType.getName() + " has no canonical constructor", e);
            }
        }

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            Object value = context.readValue(parser, context.constructType(component.getGenericType()));
            return construct(value, context);
        }

        Object fromText(String text, DeserializationContext context) throws IOException {
            Object value = context.getParser() == null
                    ? text
                    : context.getParser().getCodec().getFactory().createParser("\"" + text.replace("\"", "\\\"") + "\"")
                            .readValueAs(component.getType());
            return construct(value, context);
        }

        private Object construct(Object value, DeserializationContext context) throws IOException {
            try {
                return constructor.newInstance(value);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                return context.handleInstantiationProblem(idType, value, cause);
            } catch (ReflectiveOperationException e) {
                return context.handleInstantiationProblem(idType, value, e);
            }
        }
    }
}
