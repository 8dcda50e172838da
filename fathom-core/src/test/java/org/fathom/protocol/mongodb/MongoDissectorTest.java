package org.fathom.protocol.mongodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fathom.protocol.apptest.Bytes.ascii;
import static org.fathom.protocol.apptest.Bytes.cat;
import static org.fathom.protocol.apptest.Bytes.le32;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.junit.jupiter.api.Test;

class MongoDissectorTest {
    static byte[] bson() {
        // { hello: 1 } as BSON: int32 size, 0x10 "hello" int32 1, terminator
        byte[] e = cat(new byte[] {0x10}, ascii("hello\0"), le32(1));
        return cat(le32(4 + e.length + 1), e, new byte[] {0});
    }

    static byte[] opMsg(long id, long responseTo) {
        byte[] body = cat(le32(0), new byte[] {0}, bson());
        return cat(le32(16 + body.length), le32(id), le32(responseTo), le32(2013), body);
    }

    @Test
    void helloAndReplyAtEverySplit() {
        TestFlow f = Splits.check(MongoDissector::new, d -> TestFlow.tcp(d, 27017), List.of(Msg.c(opMsg(7, 0)), Msg.s(opMsg(99, 7))));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
    }

    @Test
    void legacyQuery() {
        byte[] body = cat(le32(0), ascii("admin.$cmd\0"), le32(0), le32(1), bson());
        byte[] q = cat(le32(16 + body.length), le32(1), le32(0), le32(2004), body);
        assertThat(TestFlow.tcp(new MongoDissector(), 27017).client(q).matched).isTrue();
    }

    @Test
    void notMongo() {
        assertThat(TestFlow.tcp(new MongoDissector(), 27017).client(opMsg(7, 3)).verdict).isEqualTo(Dissector.NO);
        byte[] m = opMsg(7, 0);
        m[16] = 0x7F; // undefined flag bits
        assertThat(TestFlow.tcp(new MongoDissector(), 27017).client(m).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new MongoDissector(), 27017).server(opMsg(1, 0)).verdict).isEqualTo(Dissector.NO);
    }
}
