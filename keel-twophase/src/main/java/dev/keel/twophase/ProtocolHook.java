package dev.keel.twophase;

/**
 * Told about every step of the protocol, on the thread doing it: the crash tests' way of stopping the
 * coordinator at a named point. A hook that throws is taken as the coordinator dying right there:
 * its participant connections are dropped without another protocol message (as a killed process
 * would drop them) and the exception propagates from {@code execute}. Recovery then has to finish
 * the transaction, exactly as after a real crash. Package-private: it is not an extension point.
 */
@FunctionalInterface
interface ProtocolHook {

    ProtocolHook NONE = point -> {
    };

    void reached(ProtocolPoint point);
}
