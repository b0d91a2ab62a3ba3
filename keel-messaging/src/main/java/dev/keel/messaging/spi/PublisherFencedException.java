package dev.keel.messaging.spi;

import dev.keel.core.NonTransientException;

/**
 * A publisher was replaced: another one was opened under the same fencing id (another relay took
 * over the partition). The fenced publisher must stop; retrying with it cannot help.
 */
public final class PublisherFencedException extends NonTransientException {

    private final String fencingId;

    private PublisherFencedException(String fencingId, String message, Throwable cause) {
        super(message, cause);
        this.fencingId = fencingId;
    }

    /** A newer publisher holds the fencing id. */
    public static PublisherFencedException fencedBy(String fencingId, Throwable cause) {
        return new PublisherFencedException(fencingId,
                "publisher '" + fencingId + "' was fenced: a newer publisher with the same fencing id exists", cause);
    }

    public String fencingId() {
        return fencingId;
    }
}
