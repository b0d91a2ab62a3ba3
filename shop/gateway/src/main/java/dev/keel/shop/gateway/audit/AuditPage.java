package dev.keel.shop.gateway.audit;

import java.util.List;

/** A page of the audit log, newest first; {@code total} counts every entry that matches the filters. */
public record AuditPage(List<AuditEntry> entries, long total, int limit, int offset) {
}
