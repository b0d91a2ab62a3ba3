package dev.keel.twophase;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;

/** What a transaction run and a recovery pass share with their coordinator. */
record Core(
        String coordinator,
        Settings settings,
        ParticipantRegistry participants,
        DecisionLog log,
        FinishMarks finishMarks,
        ProtocolHook hook,
        ExecutorService executor,
        TwoPhaseMetrics metrics,
        Set<UUID> inFlight) {
}
