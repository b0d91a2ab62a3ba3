package dev.keel.messaging.spi;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * One record as a transport carries it: a topic, a key (records with the same key keep their order),
 * text-named binary headers and a binary value. Encoding messages into records is not the
 * transport's business ({@link dev.keel.messaging.CloudEventsBinary} does it), so a transport can
 * also carry, and a contract suite can send, a record nobody can decode.
 *
 * <p>Neither the header map nor the byte arrays are copied (a relay hands over a hundred thousand
 * records a second): whoever builds a record gives them away, and whoever reads one does not change
 * them. The map is seen through an unmodifiable view.
 *
 * @param topic   1-249 characters of {@code [A-Za-z0-9._-]}, as Kafka allows
 * @param key     the ordering key; empty when the record has none
 * @param headers header name to value, in the order they were given; never null
 * @param value   the body; never null
 */
public record WireRecord(String topic, String key, Map<String, byte[]> headers, byte[] value) {

    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    /** Names already found valid: a relay builds a hundred thousand records a second for a handful of topics. */
    private static final Set<String> CHECKED_TOPICS = ConcurrentHashMap.newKeySet();

    public WireRecord {
        requireTopic(topic);
        Objects.requireNonNull(key, "key (use \"\" for a record without a key)");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(value, "value");
        for (Map.Entry<String, byte[]> header : headers.entrySet()) {
            if (header.getKey() == null || header.getKey().isEmpty()) {
                throw new IllegalArgumentException("a header needs a name, on a record for topic " + topic);
            }
            Objects.requireNonNull(header.getValue(), () -> "value of header " + header.getKey());
        }
        headers = Collections.unmodifiableMap(headers);
    }

    /** Checks a topic name; returns it. */
    public static String requireTopic(String topic) {
        if (topic != null && CHECKED_TOPICS.contains(topic)) {
            return topic;
        }
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("a topic name is 1-249 characters of letters, digits, '.', '_' and '-'; got '"
                    + topic + "'");
        }
        if (CHECKED_TOPICS.size() < 10_000) {
            CHECKED_TOPICS.add(topic);
        }
        return topic;
    }

    /** The value of a header, if the record has it. */
    public java.util.Optional<byte[]> header(String name) {
        return java.util.Optional.ofNullable(headers.get(name));
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof WireRecord that)) {
            return false;
        }
        if (!topic.equals(that.topic) || !key.equals(that.key) || !Arrays.equals(value, that.value)
                || !headers.keySet().equals(that.headers.keySet())) {
            return false;
        }
        for (var entry : headers.entrySet()) {
            if (!Arrays.equals(entry.getValue(), that.headers.get(entry.getKey()))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, key, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return "WireRecord[" + topic + " key=" + key + " headers=" + headers.keySet() + " " + value.length + " bytes]";
    }
}
