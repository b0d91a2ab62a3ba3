package dev.keel.shop.gateway.audit;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One admin operation the gateway sent to a service.
 *
 * @param id            its number, increasing
 * @param startedAt     when the gateway was asked (and wrote this entry, before calling the service)
 * @param finishedAt    when the service's answer (or the lack of one) was recorded; absent while pending
 * @param actor         who: the {@code X-Actor} header, or {@code anonymous}
 * @param client        the address the request came from
 * @param action        what: {@code parked.retry}, {@code parked.skip} or {@code projection.rebuild}
 * @param service       the service it was sent to
 * @param target        what it was about: a parked message's id, a projection's name
 * @param correlationId the request's correlation id, to find it in every service's log
 * @param outcome       {@code pending}, {@code succeeded} (2xx), {@code refused} (the service said no, 4xx),
 *                      {@code failed} (5xx, or the service could not be reached: nothing happened) or
 *                      {@code unknown} (no answer in time: it may have happened)
 * @param httpStatus    the service's status, or the gateway's when there was no answer
 * @param detail        the service's problem detail, or why there was no answer; empty on success
 */
public record AuditEntry(long id, Instant startedAt, Optional<Instant> finishedAt, String actor, String client, String action,
                         String service, String target, String correlationId, String outcome, OptionalInt httpStatus,
                         String detail) {
}
