package dev.keel.twophase;

import java.util.List;

/**
 * What one recovery pass did.
 *
 * @param committed           prepared transactions committed (their decision was commit)
 * @param rolledBack          prepared transactions rolled back (decision abort, or none and presumed abort)
 * @param finished            decisions marked finished: no participant holds their transaction any more
 * @param inDoubt             transactions this pass could not finish (those this coordinator is running
 *                            now not counted): undecided for less than the presumed-abort delay, decided
 *                            but with a participant that is unreachable, unknown or failed while being
 *                            finished
 * @param unreachable         participants that could not be reached; recovery tries again next pass
 * @param unknownParticipants participants named by a decision but not registered with this coordinator
 */
public record RecoveryReport(int committed, int rolledBack, int finished, int inDoubt, List<String> unreachable,
                             List<String> unknownParticipants) {

    public RecoveryReport {
        unreachable = List.copyOf(unreachable);
        unknownParticipants = List.copyOf(unknownParticipants);
    }

    /** Whether nothing is left for a later pass: no transaction in doubt, every participant reached. */
    public boolean isClean() {
        return inDoubt == 0 && unreachable.isEmpty() && unknownParticipants.isEmpty();
    }
}
