package org.fathom.record;

/**
 * One change of a policy verdict (the {@code --verdicts} log): a flow whose verdict became a rule's
 * (or changed to another rule's, or back to the default), an address an alert rule put under a
 * verdict, a media endpoint of a call a call rule covers. Addresses are 128-bit (IPv4 held
 * IPv4-mapped); a subscriber's address is pseudonymised by the privacy guard as in flow records.
 *
 * @param nanos     capture time of the change
 * @param scope     {@code flow}, {@code address} or {@code endpoint}
 * @param rule      the rule now in force, {@code default} when none
 * @param action    its action (allow, block, report, mark, prioritise, rate_limit)
 * @param dscp      mark and prioritise: the DSCP, else -1 (not written)
 * @param rateBps   rate_limit: bits per second, else 0 (not written)
 * @param previous  the rule in force before ({@code default} when none), null when the scope had no verdict
 * @param cause     what decided: {@code flow_start} (addresses and ports were enough),
 *                  {@code classified}, {@code flow_end} (a flow that ended unclassified),
 *                  {@code alert:KIND}, {@code call}, {@code expired}
 * @param l4        IP protocol name of a flow or endpoint, null for an address
 * @param srcPort   flows: client port; endpoints: the endpoint's port
 * @param dstHi     flows: the server; 0 otherwise
 * @param untilNanos address and endpoint verdicts: until when (capture time), 0 for flows
 */
public record VerdictRecord(
        long nanos,
        String scope,
        String rule,
        String action,
        int dscp,
        long rateBps,
        String previous,
        String cause,
        String l4,
        long srcHi, long srcLo, int srcPort,
        long dstHi, long dstLo, int dstPort,
        int vlan,
        long untilNanos) implements ExportRecord {

    /** The same record with other addresses (used by the privacy guard). */
    public VerdictRecord withAddresses(long sHi, long sLo, long dHi, long dLo) {
        return new VerdictRecord(nanos, scope, rule, action, dscp, rateBps, previous, cause, l4, sHi, sLo, srcPort, dHi, dLo,
                dstPort, vlan, untilNanos);
    }

    /** Whether the record names a second address (flows do; addresses and endpoints do not). */
    public boolean hasDestination() {
        return "flow".equals(scope);
    }
}
