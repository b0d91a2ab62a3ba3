package dev.keel.composition;

import dev.keel.core.TransientException;

/**
 * The thread running {@link Composition#run()} was interrupted: every call still under way has been
 * cancelled and the thread's interrupt flag is set again.
 */
public final class CompositionInterruptedException extends TransientException {

    CompositionInterruptedException(InterruptedException cause) {
        super("the composition was interrupted; its calls were cancelled", cause);
    }
}
