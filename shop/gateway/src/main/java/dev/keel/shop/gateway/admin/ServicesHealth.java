package dev.keel.shop.gateway.admin;

import java.util.List;

/** {@code GET /api/admin/services}: every service's health, the gateway's first; {@code up} counts those UP. */
public record ServicesHealth(List<ServiceHealth> services, int up, int total, boolean allUp) {
}
