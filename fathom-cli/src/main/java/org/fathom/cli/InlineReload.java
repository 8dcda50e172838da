package org.fathom.cli;

import java.util.function.Consumer;
import org.fathom.inline.PolicyVerdicts;
import org.fathom.inline.QueueSource;
import org.fathom.policy.Policy;

/** The inline side of a policy reload: the queue's translation of verdicts follows the new policy. */
final class InlineReload {
    private InlineReload() {
    }

    /** Gives {@code source} the translation of each policy put in force (one volatile write). */
    static Consumer<Policy> follower(QueueSource source) {
        return next -> {
            if (source.verdicts() instanceof PolicyVerdicts v) {
                source.verdicts(v.reloaded(next));
            }
        };
    }

    /** Puts the JVM's own SIGHUP handling back; null: nothing was installed. */
    static void close(AutoCloseable hangup) {
        if (hangup != null) {
            try {
                hangup.close();
            } catch (Exception e) {
                // nothing to undo
            }
        }
    }
}
