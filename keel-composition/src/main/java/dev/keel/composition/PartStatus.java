package dev.keel.composition;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * How one part of a composed response stands, as it is written in the {@code parts} object of every
 * composed response (see {@link ComposedResponse}). Absent fields are left out of the JSON.
 *
 * @param status     {@code complete}, {@code cached}, {@code stale}, {@code default} or {@code missing}
 * @param reason     for {@code stale}, {@code default} and {@code missing}: a {@link Reason#code()}
 * @param detail     for {@code stale}, {@code default} and {@code missing}: one sentence for people
 * @param httpStatus the downstream's HTTP status, when the failure was an answer with one
 * @param ageMs      for {@code cached} and {@code stale}: how old the value is, in milliseconds
 */
public record PartStatus(String status, Optional<String> reason, Optional<String> detail, OptionalInt httpStatus,
                         OptionalLong ageMs) {

    private static final Set<String> STATUSES = Set.of("complete", "cached", "stale", "default", "missing");

    public PartStatus {
        Objects.requireNonNull(status, "status");
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("a part status is one of " + STATUSES + ", got '" + status + "'");
        }
        reason = reason == null ? Optional.empty() : reason;
        detail = detail == null ? Optional.empty() : detail;
        httpStatus = httpStatus == null ? OptionalInt.empty() : httpStatus;
        ageMs = ageMs == null ? OptionalLong.empty() : ageMs;
    }

    static PartStatus of(String status, Failure failure, OptionalLong ageMs) {
        return new PartStatus(status, Optional.of(failure.reason().code()), Optional.of(failure.detail()),
                failure.httpStatus(), ageMs);
    }
}
