package org.fathom.protocol.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.derInt;
import static org.fathom.protocol.apptest.Bytes.tlv;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.Risk;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class LdapDissectorTest {
    static byte[] simpleBind(int id, String dn, String password) {
        return tlv(0x30, derInt(id), tlv(0x60, derInt(3), tlv(0x04, ascii(dn)), tlv(0x80, ascii(password))));
    }

    static byte[] bindResponse(int id) {
        return tlv(0x30, derInt(id), tlv(0x61, tlv(0x0A, new byte[] {0}), tlv(0x04), tlv(0x04)));
    }

    static byte[] search(int id) {
        return tlv(0x30, derInt(id), tlv(0x63, tlv(0x04, ascii("dc=example,dc=org")), tlv(0x0A, new byte[] {2}),
                tlv(0x0A, new byte[] {0}), derInt(0), derInt(0), tlv(0x01, new byte[] {0}), tlv(0x87, ascii("objectClass")),
                tlv(0x30)));
    }

    @Test
    void simpleBindAtEverySplit() {
        TestFlow f = Splits.check(LdapDissector::new, d -> TestFlow.tcp(d, 389), List.of(
                Msg.c(simpleBind(1, "cn=admin,dc=example,dc=org", "secret")), Msg.s(bindResponse(1)), Msg.c(search(2))));
        assertThat(f.matched).isTrue();
        assertThat(f.risks).containsExactly(Risk.CLEARTEXT_CREDENTIALS);
        assertThat(f.meta).containsEntry("ldap.operation", "bindRequest");
        assertThat(f.meta.toString()).doesNotContain("secret").doesNotContain("admin");
    }

    @Test
    void anonymousBindAndCldapSearch() {
        TestFlow f = TestFlow.tcp(new LdapDissector(), 389).client(simpleBind(1, "", ""));
        assertThat(f.matched).isTrue();
        assertThat(f.risks).isEmpty();
        TestFlow u = TestFlow.udp(new LdapDissector(), 389).client(search(5));
        assertThat(u.matched).isTrue();
        assertThat(u.meta).containsEntry("ldap.operation", "searchRequest");
    }

    @Test
    void notLdap() {
        byte[] s = search(1);
        s[s.length - 3] = 0x30; // the inner lengths no longer add up
        byte[] wrongOp = tlv(0x30, derInt(1), tlv(0x7F, new byte[2]));
        assertThat(TestFlow.tcp(new LdapDissector(), 389).client(wrongOp).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new LdapDissector(), 389).client(bindResponse(1)).verdict).isEqualTo(Dissector.NO); // a response first
        byte[] trailing = org.fathom.protocol.apptest.Bytes.cat(tlv(0x30, derInt(1), tlv(0x42), new byte[] {0x05, 0x00}));
        assertThat(TestFlow.udp(new LdapDissector(), 389).client(trailing).verdict).isEqualTo(Dissector.NO);
    }
}
