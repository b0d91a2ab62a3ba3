package dev.keel.twophase;

/** The points of the protocol a {@link ProtocolHook} is told about, in order. */
enum ProtocolStep {
    /** The work returned; nothing is prepared yet. */
    WORK_DONE(false),
    /** A participant is about to prepare. */
    PREPARING(true),
    /** A participant has prepared (voted yes). */
    PREPARED(true),
    /** Every participant has prepared; no decision is logged yet. */
    VOTES_IN(false),
    /** The commit decision is logged; nothing is committed yet. */
    DECIDED(false),
    /** A participant is about to commit its prepared transaction. */
    COMMITTING(true),
    /** A participant has committed its prepared transaction. */
    COMMITTED(true),
    /** Every participant has committed; the decision is not yet marked finished. */
    ALL_COMMITTED(false);

    private final boolean perParticipant;

    ProtocolStep(boolean perParticipant) {
        this.perParticipant = perParticipant;
    }

    boolean perParticipant() {
        return perParticipant;
    }
}
