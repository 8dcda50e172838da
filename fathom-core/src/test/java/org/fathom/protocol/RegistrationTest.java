package org.fathom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.fathom.field.MetaField;
import org.fathom.privacy.FieldInventory;
import org.junit.jupiter.api.Test;

/**
 * Adding a protocol is one package with one registration: nothing escapes the registry. Every
 * dissector class of the protocol packages is registered (by a registration of its own package),
 * every registration is listed for the service loader, protocol names and port claims are
 * exclusive unless ordered, the probe order is derived (class, constraints, name) and does not
 * depend on the order registrations are found in, and every declared field reaches the privacy
 * inventory.
 */
class RegistrationTest {
    private static final String ROOT = "org.fathom.protocol";

    /** Every class of the main code under {@code org.fathom.protocol}. */
    static List<Class<?>> protocolClasses() throws Exception {
        Path classes = classesDir();
        Path base = classes.resolve(ROOT.replace('.', '/'));
        List<Class<?>> l = new ArrayList<>();
        try (var files = Files.walk(base)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                String rel = classes.relativize(f).toString();
                String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.').replace('\\', '.');
                l.add(Class.forName(name, false, RegistrationTest.class.getClassLoader()));
            }
        }
        return l;
    }

    private static Path classesDir() throws URISyntaxException {
        Path p = Path.of(ProtocolRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(p).as("main classes as a folder").isDirectory();
        return p;
    }

    private static boolean concrete(Class<?> c) {
        return !c.isInterface() && !Modifier.isAbstract(c.getModifiers());
    }

    @Test
    void everyDissectorClassIsRegisteredByItsOwnPackage() throws Exception {
        Map<Class<?>, String> registeredBy = new HashMap<>();
        List<String> foreign = new ArrayList<>();
        for (ProtocolModule m : ProtocolModules.all()) {
            for (Probe p : m.probes()) {
                Class<?> c = p.dissector().getClass();
                registeredBy.put(c, m.getClass().getName());
                if (!c.getPackageName().equals(m.getClass().getPackageName())) {
                    foreign.add(m.getClass().getName() + " registers " + c.getName());
                }
            }
        }
        List<String> unregistered = new ArrayList<>();
        int dissectors = 0;
        for (Class<?> c : protocolClasses()) {
            if (Dissector.class.isAssignableFrom(c) && concrete(c)) {
                dissectors++;
                if (!registeredBy.containsKey(c)) {
                    unregistered.add(c.getName());
                }
            }
        }
        assertThat(dissectors).isGreaterThan(100);
        assertThat(unregistered).as("Dissector classes no registration declares: add them to their package's Registration").isEmpty();
        assertThat(foreign).as("a package registers its own dissectors only").isEmpty();
    }

    @Test
    void everyRegistrationIsListedForTheServiceLoader() throws Exception {
        Set<String> loaded = new TreeSet<>();
        for (ProtocolModule m : ProtocolModules.all()) {
            loaded.add(m.getClass().getName());
        }
        Set<String> declared = new TreeSet<>();
        for (Class<?> c : protocolClasses()) {
            if (ProtocolModule.class.isAssignableFrom(c) && concrete(c)) {
                declared.add(c.getName());
            }
        }
        assertThat(loaded).as("registrations listed in META-INF/services/org.fathom.protocol.ProtocolModule").isEqualTo(declared);
        Map<String, List<String>> perPackage = new TreeMap<>();
        for (String r : declared) {
            perPackage.computeIfAbsent(r.substring(0, r.lastIndexOf('.')), k -> new ArrayList<>()).add(r);
        }
        perPackage.values().removeIf(l -> l.size() == 1);
        assertThat(perPackage).as("one registration per package").isEmpty();
    }

    @Test
    void protocolNamesAreExclusive() {
        // one name per transport: a protocol's TCP and UDP dissectors may come from two packages
        Map<String, List<String>> claims = new TreeMap<>();
        for (ProtocolModule m : ProtocolModules.all()) {
            for (Probe p : m.probes()) {
                int t = p.dissector().descriptor().transports();
                for (int bit : new int[] {Descriptor.TCP, Descriptor.UDP}) {
                    if ((t & bit) != 0) {
                        claims.computeIfAbsent(p.name() + (bit == Descriptor.TCP ? "/tcp" : "/udp"), k -> new ArrayList<>())
                                .add(m.getClass().getName());
                    }
                }
            }
        }
        claims.values().removeIf(l -> l.size() == 1);
        assertThat(claims).as("protocol names claimed on one transport by more than one registration").isEmpty();
    }

    @Test
    void sharedPortsAreOrderedExplicitly() {
        // the port guess takes the first registrant of a port: two protocols on one port must say which
        List<Probe> all = ProtocolModules.probes();
        List<String> unordered = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Probe a = all.get(i);
                Probe b = all.get(j);
                if (!a.relatedTo(b) && (shared(a.dissector().descriptor().tcpPorts(), b.dissector().descriptor().tcpPorts())
                        || shared(a.dissector().descriptor().udpPorts(), b.dissector().descriptor().udpPorts()))) {
                    unordered.add(a.name() + " / " + b.name());
                }
            }
        }
        assertThat(unordered).as("protocols claiming the same port without a before/after constraint").isEmpty();
    }

    private static boolean shared(int[] a, int[] b) {
        for (int x : a) {
            for (int y : b) {
                if (x == y) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void theOrderIsDerivedFromClassConstraintsAndName() {
        List<Probe> probes = ProtocolModules.probes();
        List<String> names = probes.stream().map(Probe::name).toList();
        assertThat(ProtocolRegistry.defaults().dissectors().stream().map(d -> d.descriptor().name()).toList()).isEqualTo(names);
        // every constraint holds (a constraint names a protocol: every probe of that name)
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            for (int j = 0; j < probes.size(); j++) {
                Probe q = probes.get(j);
                if (p.before().contains(q.name())) {
                    assertThat(i).as(p.name() + " before " + q.name()).isLessThan(j);
                }
                if (p.after().contains(q.name())) {
                    assertThat(i).as(p.name() + " after " + q.name()).isGreaterThan(j);
                }
            }
        }
        // the same order whatever order the registrations were found in
        Random rnd = new Random(15);
        for (int round = 0; round < 20; round++) {
            List<Probe> shuffled = new ArrayList<>(probes);
            Collections.shuffle(shuffled, rnd);
            assertThat(ProtocolModules.order(shuffled)).isEqualTo(probes);
        }
        // a probe of a less specific class comes before a more specific one only when a constraint makes it
        for (int i = 1; i < probes.size(); i++) {
            Probe prev = probes.get(i - 1);
            Probe p = probes.get(i);
            if (prev.probeClass().compareTo(p.probeClass()) > 0) {
                assertThat(waitsForAConstraint(probes, p)).as(prev.name() + " (" + prev.probeClass() + ") before " + p.name()).isTrue();
            }
        }
        assertThat(probes.get(probes.size() - 1).name()).as("RTP needs a run of packets: last").isEqualTo("RTP");
        assertThat(names.indexOf("HAProxy")).as("the PROXY header precedes the proxied HTTP").isLessThan(names.indexOf("HTTP"));
    }

    /** Whether a constraint makes {@code p} wait for another probe (so a less specific one may go first). */
    private static boolean waitsForAConstraint(List<Probe> probes, Probe p) {
        return !p.after().isEmpty() || probes.stream().anyMatch(q -> q.before().contains(p.name()));
    }

    @Test
    void theOrderRejectsCyclesUnknownNamesAndDuplicates() {
        Dissector a = new org.fathom.protocol.ssh.SshDissector();
        Dissector b = new org.fathom.protocol.vnc.VncDissector();
        assertThatThrownBy(() -> ProtocolModules.order(List.of(Probe.of(a, ProbeClass.MAGIC).before("VNC"),
                Probe.of(b, ProbeClass.MAGIC).before("SSH")))).hasMessageContaining("cycle");
        assertThatThrownBy(() -> ProtocolModules.order(List.of(Probe.of(a, ProbeClass.MAGIC).after("NoSuchProtocol"))))
                .hasMessageContaining("NoSuchProtocol");
        assertThatThrownBy(() -> ProtocolModules.order(List.of(Probe.of(a, ProbeClass.MAGIC), Probe.of(a, ProbeClass.LOOSE))))
                .hasMessageContaining("registered twice");
        // one name on two transports (a protocol's TCP and UDP dissectors) is one protocol to constraints
        Dissector tcpX = stub(Descriptor.tcp("X", "Web"));
        Dissector udpX = stub(Descriptor.udp("X", "Web"));
        assertThat(ProtocolModules.order(List.of(Probe.of(udpX, ProbeClass.MAGIC), Probe.of(a, ProbeClass.MAGIC).before("X"),
                Probe.of(tcpX, ProbeClass.MAGIC)))).extracting(p -> p.dissector()).containsExactly(a, tcpX, udpX);
        assertThatThrownBy(() -> ProtocolModules.order(List.of(Probe.of(tcpX, ProbeClass.MAGIC), Probe.of(stub(Descriptor.tcp("X", "Web")),
                ProbeClass.LOOSE)))).hasMessageContaining("registered twice");
        // class first, then the constraint, then the name
        assertThat(ProtocolModules.order(List.of(Probe.of(a, ProbeClass.LOOSE), Probe.of(b, ProbeClass.MAGIC))).get(0).name()).isEqualTo("VNC");
        assertThat(ProtocolModules.order(List.of(Probe.of(a, ProbeClass.MAGIC), Probe.of(b, ProbeClass.MAGIC))).get(0).name()).isEqualTo("SSH");
        assertThat(ProtocolModules.order(List.of(Probe.of(a, ProbeClass.MAGIC).after("VNC"), Probe.of(b, ProbeClass.LOOSE))).get(0).name())
                .isEqualTo("VNC");
    }

    @Test
    void everyDeclaredFieldIsInThePrivacyInventory() {
        Map<String, String> owner = new TreeMap<>();
        List<String> twice = new ArrayList<>();
        int n = 0;
        for (ProtocolModule m : ProtocolModules.all()) {
            for (MetaField f : m.fields()) {
                n++;
                String old = owner.put(f.key(), m.getClass().getName());
                if (old != null) {
                    twice.add(f.key() + " in " + old + " and " + m.getClass().getName());
                }
                assertThat(FieldInventory.known(f.key())).as(f.key()).isTrue();
                assertThat(FieldInventory.of(f.key())).as(f.key()).isEqualTo(f.treatment());
            }
        }
        assertThat(n).isGreaterThan(150);
        assertThat(twice).as("a field is declared by one package").isEmpty();
    }

    private static Dissector stub(Descriptor d) {
        return new Dissector() {
            @Override
            public Descriptor descriptor() {
                return d;
            }

            @Override
            public int inspect(FlowContext ctx, boolean fromClient, byte[] buf, int off, int len) {
                return NO;
            }
        };
    }
}
