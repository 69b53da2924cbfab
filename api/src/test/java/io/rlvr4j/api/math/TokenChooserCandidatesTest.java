package io.rlvr4j.api.math;

import static org.assertj.core.api.Assertions.assertThat;

import io.rlvr4j.api.SamplingParams;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link TokenChooser#chooseAmong} draws what {@link TokenChooser#choose} draws, or says the candidates do not settle it. */
class TokenChooserCandidatesTest {

    private static final int VOCAB = 300;

    @Test
    void candidatesGiveTheWholeRowsChoiceOrRefuseWithoutDrawing() {
        SplittableRandom data = new SplittableRandom(1);
        int settled = 0;
        int refused = 0;
        for (int trial = 0; trial < 400; trial++) {
            float[] logits = new float[VOCAB];
            double scale = 0.5 + 4 * data.nextDouble();
            for (int i = 0; i < VOCAB; i++) logits[i] = (float) (scale * data.nextGaussian());
            SamplingParams params = new SamplingParams(0.5 + data.nextDouble(), trial % 3 == 0 ? 1.0 : 0.5 + 0.49 * data.nextDouble(),
                    trial % 3 == 1 ? 0 : 1 + data.nextInt(60), 1, Set.of(), trial);
            if (params.topP() == 1.0 && params.topK() == 0) continue;
            TokenChooser chooser = new TokenChooser(params, VOCAB);
            int count = 1 + data.nextInt(40);
            Integer[] order = IntStream.range(0, VOCAB).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logits[i]).thenComparingInt(i -> i));
            float[] top = new float[count];
            long[] ids = new long[count];
            for (int j = 0; j < count; j++) {
                top[j] = logits[order[j]];
                ids[j] = order[j];
            }
            double invT = 1 / params.temperature();
            double max = logits[order[0]] * invT;
            double sum = 0;
            for (float l : logits) sum += Math.exp(l * invT - max);
            float[] lpWhole = new float[1];
            float[] lpAmong = new float[1];
            SplittableRandom a = new SplittableRandom(trial);
            SplittableRandom b = new SplittableRandom(trial);
            int among = chooser.chooseAmong(top, ids, 0, count, sum, a, lpAmong);
            if (among < 0) {
                refused++;
                assertThat(a.nextLong()).as("nothing drawn").isEqualTo(b.nextLong());
                continue;
            }
            settled++;
            assertThat(among).isEqualTo(chooser.choose(logits, 0, b, lpWhole));
            assertThat(lpAmong[0]).isCloseTo(lpWhole[0], org.assertj.core.data.Offset.offset(1e-5f));
            assertThat(a.nextLong()).as("one value drawn, as choose draws").isEqualTo(b.nextLong());
        }
        assertThat(settled).isGreaterThan(50);
        assertThat(refused).isGreaterThan(20);
    }
}
