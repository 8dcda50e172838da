package org.fathom.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fathom.net.Cidr;
import org.fathom.privacy.AuditLog;
import org.fathom.privacy.PrivacyGuard;
import org.fathom.privacy.PrivacyPolicy;
import org.fathom.privacy.SubscriberNetworks;
import org.fathom.record.FlowRecord;
import org.fathom.store.Store;
import org.fathom.store.StoreSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the dashboard's API names and what it folds: k-suppression of subscriber groups. */
class DashboardTest {
    @TempDir
    Path tmp;

    private static final long T0 = Instant.parse("2021-05-01T12:00:00Z").getEpochSecond() * 1_000_000_000L;

    private static FlowRecord flow(String src, String dst, String app, long t) {
        long[] s = Cidr.parseAddress(src);
        long[] d = Cidr.parseAddress(dst);
        return new FlowRecord("UDP", s[0], s[1], 5000, d[0], d[1], 53, 0, null, "DNS", app, "Network", "DPI", 1, 1, 100, 100,
                t, t + 1000, 0, 0, "idle", Map.of(), null);
    }

    @Test
    void groupsOfFewerThanKSubscribersAreFoldedAndGroupsWithoutSubscribersAreNamed() throws Exception {
        Path dir = tmp.resolve("store");
        PrivacyPolicy p = PrivacyPolicy.defaults().withSubscribers(SubscriberNetworks.parse("10.0.0.0/8"))
                .withKeyFile(tmp.resolve("key")).withAuditLog(tmp.resolve("audit.log")).withK(3);
        AuditLog audit = AuditLog.open(p.auditLog());
        try (PrivacyGuard guard = new PrivacyGuard(p, audit, List.of(new StoreSink(Store.open(dir), true, "test", audit, null, null)))) {
            for (int i = 1; i <= 3; i++) {
                guard.emit(flow("10.0.0." + i, "192.0.2.1", "Popular", T0));      // 3 subscribers: named
            }
            guard.emit(flow("10.0.0.9", "192.0.2.1", "Rare<b>", T0));            // 1 subscriber: folded
            guard.emit(flow("10.0.0.9", "192.0.2.1", "Rare<b>", T0 + 1000));
            guard.emit(flow("198.51.100.1", "192.0.2.1", "ServerOnly", T0));     // no subscriber: named
        }
        try (Store s = Store.openReadOnly(dir)) {
            String json = new Dashboard(s, false, null).overview(3600, Instant.now());
            assertThat(json).contains("\"k\":3").contains("\"Popular\":[").contains("\"ServerOnly\":[")
                    .contains("\"(suppressed)\":[").doesNotContain("Rare").contains("\"suppressed_applications\":1")
                    .contains("\"flows\":6");
            // the page's window ends at the newest record of a stored run, whole minutes
            assertThat(json).contains("\"to\":" + (T0 / 1_000_000_000L + 60)).contains("\"live\":false");
        }
    }
}
