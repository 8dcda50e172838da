package org.fathom.record;

import java.util.List;

/**
 * What was done to the records of an output, written at its start so a reader knows: the mode,
 * the subscriber networks, the key rotation period, the suppression threshold and noise budget,
 * and, in identified mode, the authorisation reference.
 */
public record PrivacyHeader(String mode, String subscriberNetworks, String keyRotation, int k, Double epsilon,
                            String authorisationReference, List<String> fieldsDropped, List<String> fieldsPseudonymised)
        implements ExportRecord {
}
