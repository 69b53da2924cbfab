package io.rlvr4j.backend.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rlvr4j.api.Generation;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.TokenSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SamplingTest {

    private static DjlPolicy policy;
    private static List<int[]> prompts;

    @BeforeAll
    static void open() {
        policy = Fixture.open(null);
        prompts = List.of(policy.tokenizer().encode("hello world"), policy.tokenizer().encode("the quick brown fox"),
                policy.tokenizer().encode("<|im_start|>user\nwhat is 7 times 6?<|im_end|>\n<|im_start|>assistant\n"),
                policy.tokenizer().encode("a"));
    }

    @AfterAll
    static void close() {
        policy.close();
    }

    private static List<int[]> tokens(List<Generation> g) {
        return g.stream().map(Generation::tokens).toList();
    }

    private static SamplingParams sampling(double temperature, double topP, int topK, long seed) {
        return new SamplingParams(temperature, topP, topK, 24, Set.of(), seed);
    }

    @Test
    void tokensChosenOnTheTensorEqualTheJavaSamplers() {
        List<int[]> many = io.rlvr4j.backend.hf.fixture.DeviceChoiceCheck.prompts(48, policy.tokenizer().vocabularySize() - 4, 3);
        long compared = io.rlvr4j.backend.hf.fixture.DeviceChoiceCheck.check(policy::generate, many, 20);
        assertThat(compared).isEqualTo(7L * 48 * 20);
    }

    @Test
    void theSameSeedGivesTheSameSamplesAndAnotherSeedOthers() {
        List<Generation> a = policy.generate(prompts, sampling(1.0, 1.0, 0, 42));
        List<Generation> b = policy.generate(prompts, sampling(1.0, 1.0, 0, 42));
        List<Generation> c = policy.generate(prompts, sampling(1.0, 1.0, 0, 43));
        assertThat(tokens(a)).usingRecursiveComparison().isEqualTo(tokens(b));
        assertThat(tokens(a)).usingRecursiveComparison().isNotEqualTo(tokens(c));
        for (int i = 0; i < a.size(); i++) assertThat(a.get(i).logProbs()).containsExactly(b.get(i).logProbs());
    }

    @Test
    void copiesOfOnePromptGetDifferentSamples() {
        List<Generation> g = policy.generate(List.of(prompts.get(0), prompts.get(0), prompts.get(0)), sampling(1.0, 1.0, 0, 5));
        assertThat(g.get(0).tokens()).isNotEqualTo(g.get(1).tokens());
        assertThat(g.get(1).tokens()).isNotEqualTo(g.get(2).tokens());
    }

    @Test
    void samplesDoNotDependOnHowPromptsAreBatched() {
        SamplingParams p = sampling(0.9, 0.95, 20, 11);
        List<Generation> together = policy.generate(prompts, p);
        try (DjlPolicy oneByOne = (DjlPolicy) new DjlPolicyBackend().open(
                new PolicySpec(Fixture.DIR, PolicySpec.Init.LOAD, ModelRole.ACTOR, null, 0),
                io.rlvr4j.api.config.Settings.of(Map.of("device", "cpu", "threads", 1, "generation_batch_size", 1)))) {
            assertThat(tokens(oneByOne.generate(prompts, p))).usingRecursiveComparison().isEqualTo(tokens(together));
        }
    }

    @Test
    void aTinyTopPOrTopKOfOneIsGreedy() {
        List<int[]> greedy = tokens(policy.generate(prompts, SamplingParams.greedy(24, Set.of())));
        assertThat(tokens(policy.generate(prompts, sampling(1.0, 1e-9, 0, 1)))).usingRecursiveComparison().isEqualTo(greedy);
        assertThat(tokens(policy.generate(prompts, sampling(1.0, 1.0, 1, 2)))).usingRecursiveComparison().isEqualTo(greedy);
        assertThat(tokens(policy.generate(prompts, sampling(1.7, 1.0, 1, 3)))).usingRecursiveComparison().isEqualTo(greedy);
    }

    @Test
    void sampledLogProbsAreThoseOfTheTemperatureScaledDistributionBeforeTruncation() {
        // temperature 1: the sampling log-probs equal the policy's scoring log-probs
        List<Generation> g = policy.generate(prompts, sampling(1.0, 0.8, 10, 9));
        float[][] scored = policy.logProbs(g.stream().map(Generation::sequence).toList());
        for (int i = 0; i < g.size(); i++) {
            for (int k = 0; k < g.get(i).tokens().length; k++) {
                assertThat((double) g.get(i).logProbs()[k]).isCloseTo(scored[i][k], within(1e-4));
            }
        }
        // temperature 0.5: log p under softmax(logits / 0.5), which is sharper: the greedy token gets more mass
        Generation cold = policy.generate(List.of(prompts.get(0)), new SamplingParams(0.5, 1, 1, 1, Set.of(), 1)).get(0);
        Generation greedy = policy.generate(List.of(prompts.get(0)), SamplingParams.greedy(1, Set.of())).get(0);
        assertThat(cold.tokens()).containsExactly(greedy.tokens());
        assertThat(cold.logProbs()[0]).isGreaterThan(greedy.logProbs()[0]);
    }

    @Test
    void scoringAtTheSamplingTemperatureReproducesTheSampledLogProbs() {
        for (double t : new double[] {0.6, 1.3}) {
            List<Generation> g = policy.generate(prompts, sampling(t, 0.9, 0, 11));
            float[][] scored = policy.logProbs(g.stream().map(Generation::sequence).toList(), t);
            float[][] plain = policy.logProbs(g.stream().map(Generation::sequence).toList());
            int differ = 0;
            for (int i = 0; i < g.size(); i++) {
                for (int k = 0; k < g.get(i).tokens().length; k++) {
                    assertThat((double) g.get(i).logProbs()[k]).as("T=%s sample %d token %d", t, i, k).isCloseTo(scored[i][k], within(1e-4));
                    if (Math.abs(plain[i][k] - scored[i][k]) > 1e-3) differ++;
                }
            }
            assertThat(differ).as("temperature 1 scores differently").isPositive();
        }
        assertThatThrownBy(() -> policy.logProbs(List.of(new TokenSequence(new int[] {1, 2}, 1)), 0))
                .hasMessageContaining("temperature must be > 0");
    }

    @Test
    void aStopTokenEndsItsSequenceAndIsKept() {
        List<Generation> greedy = policy.generate(prompts, SamplingParams.greedy(24, Set.of()));
        int stop = greedy.get(1).tokens()[2];
        List<Generation> stopped = policy.generate(prompts, SamplingParams.greedy(24, Set.of(stop)));
        for (int i = 0; i < prompts.size(); i++) {
            int[] full = greedy.get(i).tokens();
            int at = -1;
            for (int k = 0; k < full.length && at < 0; k++) if (full[k] == stop) at = k;
            Generation s = stopped.get(i);
            if (at < 0) {
                assertThat(s.tokens()).containsExactly(full);
                assertThat(s.finishReason()).isEqualTo(Generation.FinishReason.LENGTH);
            } else {
                assertThat(s.tokens()).containsExactly(java.util.Arrays.copyOf(full, at + 1));
                assertThat(s.finishReason()).isEqualTo(Generation.FinishReason.STOP);
                assertThat(s.logProbs()).hasSize(at + 1);
            }
        }
        assertThat(stopped.stream().filter(s -> s.finishReason() == Generation.FinishReason.STOP).count()).isPositive();
    }

    @Test
    void maxNewTokensIsRespected() {
        for (int n : new int[] {1, 5}) {
            for (Generation g : policy.generate(prompts, sampling(1.0, 1.0, 0, 3).withSeed(n))) {
                assertThat(g.tokens().length).isLessThanOrEqualTo(24);
            }
            for (Generation g : policy.generate(prompts, new SamplingParams(1.0, 1.0, 0, n, Set.of(), 1))) {
                assertThat(g.tokens()).hasSize(n);
                assertThat(g.finishReason()).isEqualTo(Generation.FinishReason.LENGTH);
                assertThat(g.text()).isEqualTo(policy.tokenizer().decode(g.tokens()));
            }
        }
    }

    @Test
    void aPaddedBatchDecodesLikeEachPromptAlone() {
        // stop tokens make rows finish at different steps, so the batch is compacted on the way
        Set<Integer> stops = Set.of(38, 41);
        List<Generation> batch = policy.generate(prompts, SamplingParams.greedy(30, stops));
        List<int[]> alone = new ArrayList<>();
        for (int[] p : prompts) alone.add(policy.generate(List.of(p), SamplingParams.greedy(30, stops)).get(0).tokens());
        assertThat(tokens(batch)).usingRecursiveComparison().isEqualTo(alone);
        for (int i = 0; i < prompts.size(); i++) assertThat(batch.get(i).promptTokens()).containsExactly(prompts.get(i));
    }

    @Test
    void longGenerationsStayConsistentWithScoring() {
        // 100 new tokens: the rotary table grows and the cache is long
        Generation g = policy.generate(List.of(prompts.get(3)), sampling(1.0, 1.0, 0, 77).withSeed(4)).get(0);
        Generation longer = policy.generate(List.of(prompts.get(3)), new SamplingParams(1.0, 1.0, 0, 300, Set.of(), 4)).get(0);
        assertThat(longer.tokens()).hasSize(300);
        float[] scored = policy.logProbs(List.of(longer.sequence()))[0];
        for (int k = 0; k < 300; k++) assertThat((double) longer.logProbs()[k]).isCloseTo(scored[k], within(2e-4));
        assertThat(g.tokens()).hasSize(24);
    }

    @Test
    void rejectsPromptsOutsideTheVocabulary() {
        assertThatThrownBy(() -> policy.generate(List.of(new int[] {1, 64}), SamplingParams.greedy(2, Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64").hasMessageContaining("vocabulary");
        assertThatThrownBy(() -> policy.generate(List.of(new int[0]), SamplingParams.greedy(2, Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> policy.logProbs(List.of(new TokenSequence(new int[] {1, -1}, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
