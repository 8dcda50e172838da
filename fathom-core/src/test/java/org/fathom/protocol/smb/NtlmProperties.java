package org.fathom.protocol.smb;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** The NTLM reader on hostile bytes: never throws, names stay bounded. */
class NtlmProperties {
    @Property(tries = 2000)
    void authenticateNeverThrows(@ForAll @Size(max = 300) byte[] junk) {
        byte[] b = new byte[junk.length + 12];
        System.arraycopy(Ntlm.SIGNATURE, 0, b, 0, 8);
        b[8] = 3;
        System.arraycopy(junk, 0, b, 12, junk.length);
        Ntlm.Authenticate a = Ntlm.authenticate(b, Ntlm.find(b, 0, b.length), b.length);
        if (a != null) {
            for (String s : new String[] {a.user(), a.domain(), a.workstation()}) {
                assertThat(s == null ? 0 : s.length()).isLessThanOrEqualTo(Ntlm.MAX_NAME);
            }
        }
    }

    @Property(tries = 500)
    void aRealMessageCutAnywhereNeverThrows(@ForAll @Size(max = 8) byte[] noise, @ForAll byte cutByte) {
        byte[] m = org.fathom.protocol.events.SmbSplitPointTest.ntlmAuthenticate("EXAMPLE", "alice", "LAPTOP-7");
        int cut = Math.floorMod(cutByte, m.length + 1);
        byte[] b = java.util.Arrays.copyOf(m, cut);
        for (int i = 0; i < noise.length && 12 + i * 7 < b.length; i++) {
            b[12 + i * 7] = noise[i];
        }
        Ntlm.authenticate(b, 0, b.length);
    }
}
