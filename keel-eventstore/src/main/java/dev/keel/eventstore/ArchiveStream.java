package dev.keel.eventstore;

/** Closing a stream for good while keeping its history. */
public interface ArchiveStream {

    /**
     * Makes the stream read-only if its version meets {@code expected}: its events stay readable (and
     * temporal reads keep working), appends fail with {@link StreamArchivedException}. A
     * {@link SystemEvents#STREAM_ARCHIVED} marker is appended, so readers of all streams learn of it in
     * order. Archiving an archived stream changes nothing and returns the first archiving's result.
     *
     * @return the marker's version and position
     * @throws WrongExpectedVersionException the stream is not at the expected version
     * @throws StreamDeletedException        the stream was deleted
     */
    AppendResult archive(String streamId, ExpectedVersion expected);
}
