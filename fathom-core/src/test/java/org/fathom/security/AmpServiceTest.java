package org.fathom.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link AmpService#index} is a switch (cheaper per packet than a loop): it must agree with {@link AmpService#PORTS}. */
class AmpServiceTest {
    @Test
    void indexAgreesWithPortsForEveryPort() {
        for (int port = 0; port < 65_536; port++) {
            int expected = -1;
            for (int i = 0; i < AmpService.PORTS.length; i++) {
                if (AmpService.PORTS[i] == port) expected = i;
            }
            assertEquals(expected, AmpService.index(port), "port " + port);
        }
    }
}
