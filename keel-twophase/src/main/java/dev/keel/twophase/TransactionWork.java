package dev.keel.twophase;

/** The work of one two-phase transaction: it uses participants through the transaction it is given. */
@FunctionalInterface
public interface TransactionWork {
    void run(TwoPhaseTransaction transaction);
}
