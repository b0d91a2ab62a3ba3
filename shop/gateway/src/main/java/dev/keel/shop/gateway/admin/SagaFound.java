package dev.keel.shop.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code GET /api/admin/sagas/{id}}: the service that runs the saga and its instance, transition log included, as it answered. */
public record SagaFound(String service, JsonNode saga) {
}
