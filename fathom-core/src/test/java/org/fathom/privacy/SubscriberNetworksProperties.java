package org.fathom.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fathom.net.Cidr;

/** The flat table behind {@link SubscriberNetworks#contains} says what the blocks themselves say. */
class SubscriberNetworksProperties {
    @Property(tries = 3000)
    void containsAgreesWithTheBlocks(@ForAll("networks") List<Cidr> blocks, @ForAll long hi, @ForAll long lo,
                                     @ForAll("near") int near) {
        SubscriberNetworks s = new SubscriberNetworks(blocks);
        // also addresses inside or at the edge of a block, not only random ones
        if (!blocks.isEmpty() && near >= 0) {
            Cidr c = blocks.get(near % blocks.size());
            hi = c.hi() ^ (hi & 1);
            lo = c.lo() ^ (lo & 3);
        }
        boolean any = false;
        for (Cidr c : blocks) {
            any |= c.contains(hi, lo);
        }
        assertThat(s.contains(hi, lo)).isEqualTo(any);
        boolean inDefault = false;
        for (Cidr c : SubscriberNetworks.DEFAULT.networks()) {
            inDefault |= c.contains(hi, lo);
        }
        assertThat(SubscriberNetworks.DEFAULT.contains(hi, lo)).isEqualTo(inDefault);
    }

    @Provide
    Arbitrary<Integer> near() {
        return Arbitraries.integers().between(-1, 20);
    }

    @Provide
    Arbitrary<List<Cidr>> networks() {
        Arbitrary<Cidr> v4 = Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 32)).as((a, b, bits) -> Cidr.parse(a + "." + b + ".0.0/" + bits));
        Arbitrary<Cidr> v6 = Combinators.combine(Arbitraries.integers().between(0, 0xffff), Arbitraries.integers().between(0, 0xffff),
                Arbitraries.integers().between(0, 128)).as((a, b, bits) -> Cidr.parse(Integer.toHexString(a) + ":"
                        + Integer.toHexString(b) + "::/" + bits));
        return Arbitraries.oneOf(v4, v6).list().ofMaxSize(8).map(ArrayList::new);
    }
}
