package dev.keel.eventstore;

/** What a stream is now: its version and whether it takes appends. */
public interface DescribeStream {

    StreamInfo describe(String streamId);
}
