package io.rlvr4j.api.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class KlControllerTest {

    @Test
    void aFixedCoefficientStays() {
        KlController c = KlController.fixed(0.05);
        c.update(100, 1000);
        assertThat(c.coefficient()).isEqualTo(0.05);
        assertThat(c.adaptive()).isFalse();
    }

    @Test
    void theAdaptiveCoefficientFollowsZieglersRule() {
        // kl 9 over target 6: error = clip(0.5, -0.2, 0.2) = 0.2; 256 samples over horizon 10000: x (1 + 0.2 * 0.0256) = x 1.00512
        KlController c = KlController.adaptive(0.1, 6, 10_000);
        c.update(9, 256);
        assertThat(c.coefficient()).isCloseTo(0.100512, within(1e-12));
        // kl 5.4: error = 5.4 / 6 - 1 = -0.1; x (1 - 0.1 * 256 / 10000) = x 0.99744
        c.update(5.4, 256);
        assertThat(c.coefficient()).isCloseTo(0.100512 * 0.99744, within(1e-12));
        // no drift at the target
        double before = c.coefficient();
        c.update(6, 256);
        assertThat(c.coefficient()).isCloseTo(before, within(1e-15));
    }
}
