package io.rlvr4j.backend.djl.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.api.objective.SupervisedObjective;
import io.rlvr4j.backend.hf.Safetensors;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraTest {

    private static final Map<String, Object> LORA = Map.of("rank", 4, "alpha", 8, "target_modules", List.of("q_proj", "v_proj", "o_proj", "up_proj", "down_proj"));

    private static DjlPolicy lora() {
        return (DjlPolicy) new DjlPolicyBackend().open(new PolicySpec(Fixture.DIR, PolicySpec.Init.LOAD, ModelRole.ACTOR, OptimizerSpec.adamW(1e-2), 3),
                Settings.of(Map.of("device", "cpu", "threads", 2, "lora", LORA)));
    }

    private static DjlPolicy plain(Path dir) {
        return (DjlPolicy) new DjlPolicyBackend().open(new PolicySpec(dir, PolicySpec.Init.LOAD, ModelRole.ACTOR, null, 0), Fixture.cpu());
    }

    /** Gives every B random values, as training would, so that the adapters change the model. */
    private static void perturb(DjlPolicy p) {
        SplittableRandom r = new SplittableRandom(5);
        try (Ops.GradMode _ = Ops.gradMode(false); ai.djl.ndarray.NDScope _ = new ai.djl.ndarray.NDScope()) {
            p.model().adapters().tensors().forEach((name, t) -> {
                if (!name.contains("lora_B")) return;
                float[] v = new float[(int) t.size()];
                for (int i = 0; i < v.length; i++) v[i] = (float) (0.05 * r.nextGaussian());
                long[] shape = t.getShape().getShape();
                Ops.put(t, t.getManager().create(v, t.getShape()), new long[shape.length], shape);
            });
        }
    }

    private static void assertClose(float[][] a, float[][] b) {
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < a[i].length; k++) assertThat(b[i][k]).as("seq %d token %d", i, k).isCloseTo(a[i][k], within(1e-5f));
        }
    }

    @Test
    void theAdaptedForwardEqualsTheMergedWeightsForward() {
        List<TokenSequence> seqs = TrainingTest.sequences(31);
        try (DjlPolicy adapted = lora(); DjlPolicy merged = plain(Fixture.DIR)) {
            float[][] base = merged.logProbs(seqs);
            assertClose(base, adapted.logProbs(seqs)); // fresh adapters (B = 0) change nothing
            perturb(adapted);
            float[][] a = adapted.logProbs(seqs);
            merged.loadWeights(adapted.exportWeights());
            assertClose(a, merged.logProbs(seqs));
            assertThat(Math.abs(a[0][0] - base[0][0]) + Math.abs(a[1][3] - base[1][3])).as("the adapters changed the model").isGreaterThan(1e-4f);
            // lent weights are the merged ones too
            adapted.lendWeights(w -> merged.loadWeights(w));
            assertClose(a, merged.logProbs(seqs));
        }
    }

    @Test
    void aStepChangesOnlyTheAdapters() {
        List<TokenSequence> seqs = TrainingTest.sequences(32);
        try (DjlPolicy p = lora()) {
            Map<String, float[]> before = new HashMap<>();
            p.model().parameters().forEach((name, t) -> before.put(name, t.toFloatArray()));
            Map<String, float[]> adaptersBefore = new HashMap<>();
            p.model().adapters().tensors().forEach((name, t) -> adaptersBefore.put(name, t.toFloatArray()));
            p.train(SupervisedObjective.tokenMean(seqs));
            p.model().parameters().forEach((name, t) -> assertThat(t.toFloatArray()).as(name).containsExactly(before.get(name)));
            // from B = 0 the first step moves every B (A's gradient is B^T times something: zero)
            p.model().adapters().tensors().forEach((name, t) -> {
                if (name.contains("lora_B")) assertThat(t.toFloatArray()).as(name).isNotEqualTo(adaptersBefore.get(name));
            });
            assertThat(p.describe()).contains("LoRA r=4");
            long adapterValues = p.model().adapters().tensors().values().stream().mapToLong(NDArray::size).sum();
            assertThat(LoraAdapters.parameterCount(p.model().config(), p.model().adapters().spec())).isEqualTo(adapterValues);
            Settings s = Settings.of(Map.of("device", "cpu", "lora", LORA));
            assertThat(new DjlPolicyBackend().memoryEstimate(new PolicySpec(Fixture.DIR, PolicySpec.Init.LOAD, ModelRole.ACTOR, OptimizerSpec.adamW(1e-2), 0), s))
                    .hasValue(4 * p.model().parameterCount() + 16 * adapterValues);
        }
    }

    @Test
    void theSavedModelIsMergedAndThePeftAdapterLoadsBack(@TempDir Path tmp) throws Exception {
        List<TokenSequence> seqs = TrainingTest.sequences(33);
        try (DjlPolicy p = lora()) {
            perturb(p);
            p.train(SupervisedObjective.tokenMean(seqs));
            float[][] expected = p.logProbs(seqs);
            Path out = tmp.resolve("model");
            p.save(out);
            try (DjlPolicy reloaded = plain(out)) {
                assertClose(expected, reloaded.logProbs(seqs));
            }
            Path adapter = out.resolve("adapter");
            JsonObject config = JsonParser.parseString(Files.readString(adapter.resolve("adapter_config.json"))).getAsJsonObject();
            assertThat(config.get("peft_type").getAsString()).isEqualTo("LORA");
            assertThat(config.get("r").getAsInt()).isEqualTo(4);
            assertThat(config.get("lora_alpha").getAsDouble()).isEqualTo(8.0);
            assertThat(config.getAsJsonArray("target_modules").toString()).isEqualTo("[\"q_proj\",\"v_proj\",\"o_proj\",\"up_proj\",\"down_proj\"]");
            Map<String, float[]> read = new HashMap<>();
            Safetensors.read(adapter.resolve("adapter_model.safetensors"), (name, shape, data) -> {
                float[] v = new float[data.remaining() / 4];
                data.order(ByteOrder.nativeOrder()).asFloatBuffer().get(v);
                read.put(name, v);
            });
            Map<String, NDArray> tensors = p.model().adapters().tensors();
            assertThat(read.keySet()).isEqualTo(tensors.keySet());
            assertThat(read).containsKey("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight");
            tensors.forEach((name, t) -> assertThat(read.get(name)).as(name).containsExactly(t.toFloatArray()));
        }
    }
}
