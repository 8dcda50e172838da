package org.fathom.voip;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Limits and rules of call analytics.
 *
 * @param maxDialogs       calls tracked at once; a new call beyond it ends the oldest ("evicted")
 * @param dialogTimeout    an INVITE without final response for this long ends as no_answer
 * @param mediaTimeout     an answered call whose media stopped both ways this long ago is suspect; it ends as dropped
 *                         when no SIP of the dialog follows for the dialog timeout (a later BYE still decides)
 * @param noAckTimeout     a 2xx not acknowledged within this time ends the call as dropped (64*T1)
 * @param lingerTimeout    how long a final non-2xx waits for its ACK (a 401/407 waits for the new INVITE for the
 *                         dialog timeout)
 * @param emergencyNumbers dialled numbers that make a call an emergency call
 */
public record CallConfig(int maxDialogs, Duration dialogTimeout, Duration mediaTimeout, Duration noAckTimeout,
                         Duration lingerTimeout, Set<String> emergencyNumbers) {
    public static final List<String> DEFAULT_EMERGENCY = List.of("112", "911", "999", "000", "110", "118", "119");

    public CallConfig {
        emergencyNumbers = Set.copyOf(emergencyNumbers);
    }

    public static CallConfig defaults() {
        return new CallConfig(100_000, Duration.ofSeconds(180), Duration.ofSeconds(30), Duration.ofSeconds(32),
                Duration.ofSeconds(32), Set.copyOf(DEFAULT_EMERGENCY));
    }

    public CallConfig withMediaTimeout(Duration d) {
        return new CallConfig(maxDialogs, dialogTimeout, d, noAckTimeout, lingerTimeout, emergencyNumbers);
    }

    public CallConfig withMaxDialogs(int n) {
        return new CallConfig(n, dialogTimeout, mediaTimeout, noAckTimeout, lingerTimeout, emergencyNumbers);
    }

    public CallConfig withDialogTimeout(Duration d) {
        return new CallConfig(maxDialogs, d, mediaTimeout, noAckTimeout, lingerTimeout, emergencyNumbers);
    }

    public CallConfig withEmergencyNumbers(Set<String> numbers) {
        return new CallConfig(maxDialogs, dialogTimeout, mediaTimeout, noAckTimeout, lingerTimeout, numbers);
    }
}
