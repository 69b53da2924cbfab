package io.rlvr4j.backend.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.rlvr4j.api.Generation;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.api.objective.ClipRange;
import io.rlvr4j.api.objective.KlPenalty;
import io.rlvr4j.api.objective.LossAggregation;
import io.rlvr4j.api.objective.Objective;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import io.rlvr4j.api.objective.SupervisedObjective;
import io.rlvr4j.backend.hf.fixture.Qwen2Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reproduces the {@code reference.json} of {@code qwen2-tiny}, {@code qwen3-tiny} (q/k RMSNorm per head,
 * no bias, head_dim 32 of hidden 64 / 4 heads) and {@code llama-tiny} (no bias, rope_scaling llama3,
 * tied head), written by an independent PyTorch implementation: logits and log-probs to 1e-4, greedy
 * tokens exactly, and three AdamW steps of an SFT and of a clipped policy-gradient loss (losses,
 * gradient norms before clipping, clip fractions and parameters after the steps).
 */
@ParameterizedClass
@ValueSource(strings = {"qwen2-tiny", "qwen3-tiny", "llama-tiny", "qwen2-bf16-tied", "qwen3-bf16-tied", "llama-f16-untied"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FixtureTest {

    private static final double TOL = Qwen2Reference.TOL;

    @Parameter
    String fixture;

    private Path dir;
    private JsonObject reference;
    private DjlPolicy policy;

    @BeforeParameterizedClassInvocation
    void open() {
        dir = Qwen2Reference.fixture(fixture);
        reference = Qwen2Reference.reference(dir);
        policy = Fixture.open(dir, null);
    }

    @AfterParameterizedClassInvocation
    void close() {
        policy.close();
    }

    private List<JsonObject> cases() {
        return Qwen2Reference.cases(reference);
    }

    @Test
    void describesTheFixtureModel() {
        JsonObject config = io.rlvr4j.backend.hf.JsonFiles.readObject(dir.resolve("config.json"));
        assertThat(policy.describe()).startsWith(config.get("model_type").getAsString() + " " + config.get("num_hidden_layers").getAsInt()
                + " layers, hidden " + config.get("hidden_size").getAsInt() + ", ").endsWith(" parameters, cpu");
        assertThat(policy.model().parameterCount()).isEqualTo(reference.get("num_parameters").getAsLong());
        assertThat(io.rlvr4j.backend.hf.DecoderConfig.read(dir).parameterCount()).isEqualTo(reference.get("num_parameters").getAsLong());
    }

    @Test
    void logitsMatchTheReferenceIncludingTheLeftPaddedBatch() {
        Qwen2Model model = policy.model();
        NDManager m = model.manager();
        int vocab = model.config().vocabSize();
        try (Ops.GradMode _ = Ops.gradMode(false)) {
            for (JsonObject c : cases()) {
                Qwen2Reference.Batch batch = Qwen2Reference.batch(c);
                int b = batch.rows();
                int t = batch.width();
                try (NDScope _ = new NDScope()) {
                    NDArray h = model.hidden(m.create(batch.ids(), new Shape(b, t)), m.create(batch.positions(), new Shape(b, t)),
                            m.create(batch.bias(), new Shape(b, 1, 1, t, t)), null, 0);
                    float[] logits = model.logits(h).toFloatArray();
                    int checked = Qwen2Reference.assertLogitsMatch(c, logits, vocab);
                    assertThat(checked).isPositive();
                }
            }
        }
    }

    @Test
    void logProbsMatchTheReference() {
        for (JsonObject c : cases()) {
            List<int[]> rows = Qwen2Reference.rows(c);
            List<TokenSequence> seqs = rows.stream().map(r -> new TokenSequence(r, 1)).toList();
            float[][] lp = policy.logProbs(seqs);
            double[][] expected = Qwen2Reference.numbers(c.get("logprobs"));
            double[] sums = Qwen2Reference.vector(c.get("logprob_sum"));
            for (int b = 0; b < rows.size(); b++) {
                int offset = expected[b].length + 1 - rows.get(b).length;
                assertThat(lp[b]).hasSize(rows.get(b).length - 1);
                double sum = 0;
                for (int k = 0; k < lp[b].length; k++) {
                    assertThat((double) lp[b][k]).as("%s logprob[%d][%d]", c.get("name"), b, k).isCloseTo(expected[b][offset + k], within(TOL));
                    sum += lp[b][k];
                }
                assertThat(sum).isCloseTo(sums[b], within(1e-3));
            }
        }
    }

    @Test
    void greedyDecodingMatchesTheReferenceAloneAndInALeftPaddedBatch() {
        for (JsonObject c : cases()) {
            List<Generation> g = policy.generate(Qwen2Reference.rows(c), SamplingParams.greedy(16, Set.of()));
            int[][] tokens = Qwen2Reference.ints(c.get("greedy_tokens"));
            double[][] logProbs = Qwen2Reference.numbers(c.get("greedy_logprobs"));
            for (int b = 0; b < tokens.length; b++) {
                assertThat(g.get(b).tokens()).as("%s greedy tokens of row %d", c.get("name"), b).containsExactly(tokens[b]);
                assertThat(g.get(b).finishReason()).isEqualTo(Generation.FinishReason.LENGTH);
                for (int k = 0; k < 16; k++) assertThat((double) g.get(b).logProbs()[k]).isCloseTo(logProbs[b][k], within(TOL));
            }
        }
    }

    @Test
    void tokenizerReproducesTheFixtureIds() {
        for (JsonObject c : cases()) {
            JsonArray texts = c.getAsJsonArray("texts");
            List<int[]> rows = Qwen2Reference.rows(c);
            for (int b = 0; b < texts.size(); b++) {
                int[] ids = policy.tokenizer().encode(texts.get(b).getAsString());
                assertThat(ids).as("ids of %s", texts.get(b)).containsExactly(rows.get(b));
                String special = texts.get(b).getAsString().replace("<|im_start|>", "").replace("<|im_end|>", "");
                assertThat(policy.tokenizer().decode(ids)).isEqualTo(special);
            }
        }
        String longText = "abc ".repeat(700);
        assertThat(policy.tokenizer().encode(longText)).as("no truncation").hasSize(longText.length());
        int vocab = io.rlvr4j.backend.hf.JsonFiles.readObject(dir.resolve("config.json")).get("vocab_size").getAsInt();
        assertThat(policy.tokenizer().eosTokenId()).hasValue(vocab - 1); // <|im_end|>, the fixtures' last id
        assertThat(policy.tokenizer().padTokenId()).hasValue(reference.get("pad_token_id").getAsInt());
        assertThat(policy.tokenizer().vocabularySize()).isEqualTo(vocab);
    }

    // ------------------------------------------------------------------ the train section

    private record TrainCase(List<TokenSequence> sequences, int[] firstResponse, OptimizerSpec optimizer, JsonObject train) {
    }

    private TrainCase trainCase() {
        JsonObject t = reference.getAsJsonObject("train");
        int[][] ids = Qwen2Reference.ints(t.get("input_ids"));
        int[][] mask = Qwen2Reference.ints(t.get("attention_mask"));
        int[][] lossMask = Qwen2Reference.ints(t.get("loss_mask"));
        List<TokenSequence> seqs = new ArrayList<>();
        int[] first = new int[ids.length];
        for (int b = 0; b < ids.length; b++) {
            int width = ids[b].length;
            int real = Arrays.stream(mask[b]).sum();
            int response = Arrays.stream(lossMask[b]).sum();
            seqs.add(new TokenSequence(Arrays.copyOfRange(ids[b], width - real, width), real - response));
            first[b] = width - response;
            for (int j = 0; j < width; j++) assertThat(lossMask[b][j]).isEqualTo(j >= first[b] ? 1 : 0);
        }
        JsonObject o = t.getAsJsonObject("optimizer");
        double[] betas = Qwen2Reference.vector(o.get("betas"));
        assertThat(o.get("type").getAsString()).isEqualTo("AdamW");
        OptimizerSpec spec = new OptimizerSpec(o.get("lr").getAsDouble(), betas[0], betas[1], o.get("eps").getAsDouble(),
                o.get("weight_decay").getAsDouble(), o.get("max_grad_norm").getAsDouble(), 0);
        return new TrainCase(seqs, first, spec, t);
    }

    /** Runs the fixture's steps of {@code objective} on a fresh copy of the checkpoint and checks what the reference recorded. */
    private void checkSteps(TrainCase tc, Objective objective, JsonObject expected, boolean clipFrac) {
        int steps = tc.train().getAsJsonObject("optimizer").get("steps").getAsInt();
        double[] losses = Qwen2Reference.vector(expected.get("loss"));
        double[] norms = Qwen2Reference.vector(expected.get("grad_norm_before_clip"));
        try (DjlPolicy p = Fixture.open(dir, tc.optimizer())) {
            for (int s = 0; s < steps; s++) {
                Map<String, Double> st = p.train(objective);
                assertThat(st.get("loss")).as("loss before step %d", s + 1).isCloseTo(losses[s], within(TOL));
                assertThat(st.get("grad_norm")).as("grad norm of step %d", s + 1).isCloseTo(norms[s], within(1e-4 * Math.max(1, norms[s])));
                if (clipFrac) {
                    assertThat(st.get("clip_frac")).isCloseTo(Qwen2Reference.vector(expected.get("clipfrac"))[s], within(1e-6));
                }
            }
            assertThat(p.steps()).isEqualTo(steps);
            Map<String, WeightTensor> w = p.exportWeights();
            for (Map.Entry<String, JsonElement> e : expected.getAsJsonObject("params_after_first8").entrySet()) {
                double[] v = Qwen2Reference.vector(e.getValue());
                for (int k = 0; k < v.length; k++) {
                    // 2e-6 separates decay on every parameter (the reference) from decay on matrices only (~3e-5 off)
                    assertThat((double) w.get(exported(p, e.getKey())).toArray()[k]).as("%s[%d] after %d steps", e.getKey(), k, steps)
                            .isCloseTo(v[k], within(2e-6));
                }
            }
            double lossAfter = p.accumulate(objective).loss();
            assertThat(lossAfter).as("loss after the steps").isCloseTo(expected.get("loss_after").getAsDouble(), within(TOL));
        }
    }

    /** {@return the exported name of a reference parameter}: a tied head is the embedding */
    private static String exported(DjlPolicy p, String name) {
        return name.equals(Qwen2Model.LM_HEAD) && p.model().config().tieWordEmbeddings() ? Qwen2Model.EMBED : name;
    }

    @Test
    void supervisedAdamWStepsMatchTheReference() {
        TrainCase tc = trainCase();
        checkSteps(tc, SupervisedObjective.tokenMean(tc.sequences()), tc.train().getAsJsonObject("sft"), false);
    }

    @Test
    void clippedPolicyGradientStepsMatchTheReference() {
        TrainCase tc = trainCase();
        JsonObject in = tc.train().getAsJsonObject("pg_inputs");
        double[][] old = Qwen2Reference.numbers(in.get("old_logprobs"));
        double[][] adv = Qwen2Reference.numbers(in.get("advantages"));
        int n = tc.sequences().size();
        float[][] oldLp = new float[n][];
        float[][] advantages = new float[n][];
        for (int b = 0; b < n; b++) {
            int len = tc.sequences().get(b).responseLength();
            oldLp[b] = new float[len];
            advantages[b] = new float[len];
            for (int k = 0; k < len; k++) {
                // column j of the reference predicts token j + 1
                oldLp[b][k] = (float) old[b][tc.firstResponse()[b] - 1 + k];
                advantages[b][k] = (float) adv[b][tc.firstResponse()[b] - 1 + k];
            }
        }
        PolicyGradientObjective pg = new PolicyGradientObjective(tc.sequences(), advantages, oldLp, null,
                new ClipRange(in.get("clip_low").getAsDouble(), in.get("clip_high").getAsDouble()), 0, KlPenalty.none(), 0,
                LossAggregation.TOKEN_MEAN, 1);
        checkSteps(tc, pg, tc.train().getAsJsonObject("pg"), true);
    }
}
