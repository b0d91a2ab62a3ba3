package dev.keel.composition;

import java.time.Duration;

import dev.keel.core.json.JsonCodec;

/** What every call of one composition run shares. */
record RunScope(CallContext context, JsonCodec codec, long deadlineNanos, Duration deadline) {
}
