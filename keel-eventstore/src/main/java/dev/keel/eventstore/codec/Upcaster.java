package dev.keel.eventstore.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Lifts the JSON of one type from one schema version to the next: adds a field with a default,
 * renames or splits one... It may change the node it is given and return it. Upcasters run on read,
 * so stored events are never rewritten.
 */
@FunctionalInterface
public interface Upcaster {

    ObjectNode upcast(ObjectNode json);
}
