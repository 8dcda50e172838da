package org.fathom.protocol.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.fathom.protocol.Dissector;
import org.fathom.protocol.apptest.Golden;
import org.fathom.protocol.apptest.Msg;
import org.fathom.protocol.apptest.Splits;
import org.fathom.protocol.testing.TestFlow;
import org.fathom.record.FlowRecord;
import org.junit.jupiter.api.Test;

class RedisDissectorTest {
    @Test
    void commandAndReplyAtEverySplit() {
        TestFlow f = Splits.check(RedisDissector::new, d -> TestFlow.tcp(d, 6379), List.of(
                Msg.c("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n"), Msg.s("+OK\r\n")));
        assertThat(f.verdict).isEqualTo(Dissector.DONE);
        assertThat(f.meta).containsEntry("redis.command", "SET");
        TestFlow g = Splits.check(RedisDissector::new, d -> TestFlow.tcp(d, 6379), List.of(Msg.c("*1\r\n$4\r\nping\r\n"), Msg.s("+PONG\r\n")));
        assertThat(g.meta).containsEntry("redis.command", "PING");
    }

    @Test
    void notResp() {
        assertThat(TestFlow.tcp(new RedisDissector(), 6379).client(Msg.c("*3\r\n$99\r\nSET\r\n").bytes()).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new RedisDissector(), 6379).client(Msg.c("*x\r\n").bytes()).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new RedisDissector(), 6379).client(Msg.c("*1\r\n$3\r\n\u0001\u0002\u0003\r\n").bytes()).verdict).isEqualTo(Dissector.NO);
        assertThat(TestFlow.tcp(new RedisDissector(), 6379).server(Msg.s("+OK\r\n").bytes()).verdict).isEqualTo(Dissector.NO);
    }

    @Test
    void goldenRedisCli() throws Exception {
        List<FlowRecord> flows = Golden.flows("redis/redis.pcap");
        assertThat(flows).hasSize(4).allSatisfy(r -> assertThat(r.protocol()).isEqualTo("RESP"));
        assertThat(flows).extracting(r -> r.metadata().get("redis.command")).containsExactly("PING", "SET", "GET", "SHUTDOWN");
    }
}
