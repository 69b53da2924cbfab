package io.rlvr4j.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rlvr4j.api.config.Settings;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Low-rank adapters (LoRA, as PEFT's {@code LoraConfig}) on chosen projections of a {@link Qwen2Model}:
 * a targeted {@code y = x W^T + b} becomes {@code y = x W^T + b + (alpha / r) * dropout(x) A^T B^T},
 * with {@code A [r, in]} drawn as PEFT draws it ({@code kaiming_uniform_(a=sqrt(5))}: uniform in
 * {@code ±1/sqrt(in)}) and {@code B [out, r]} zero, so a fresh adapter changes nothing. The base stays
 * frozen; only A and B train. Names are PEFT's: {@code base_model.model.<module>.lora_A.weight}.
 *
 * <p>Settings ({@code policy.lora}): {@code rank} (r, default 16), {@code alpha} (default 2 r),
 * {@code dropout} (default 0), {@code target_modules} (default all of {@link #MODULES}).
 */
final class LoraAdapters {

    /** The projections of a decoder layer an adapter can target. */
    static final List<String> MODULES = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    /** One adapter: the base weight's name, A, B. */
    record Adapter(String module, NDArray a, NDArray b) {
    }

    /** What to adapt. */
    record Spec(int rank, double alpha, double dropout, List<String> targets) {

        static Spec read(Settings s) {
            int rank = s.integer("rank", 16);
            if (rank < 1) throw s.invalid("rank", "must be at least 1");
            double alpha = s.number("alpha", 2.0 * rank);
            if (!(alpha > 0)) throw s.invalid("alpha", "must be > 0");
            double dropout = s.number("dropout", 0.0);
            if (!(dropout >= 0 && dropout < 1)) throw s.invalid("dropout", "must be in [0, 1)");
            List<String> targets = s.strings("target_modules", MODULES);
            for (String t : targets) {
                if (!MODULES.contains(t)) throw s.invalid("target_modules", "unknown module " + t + "; expected some of " + String.join(", ", MODULES));
            }
            return new Spec(rank, alpha, dropout, List.copyOf(targets));
        }

        double scale() {
            return alpha / rank;
        }
    }

    private final Spec spec;
    /** by base weight (identity): its adapter */
    private final Map<NDArray, Adapter> byWeight = new IdentityHashMap<>();
    /** every adapter tensor under its PEFT name, A before B, in layer order */
    private final LinkedHashMap<String, NDArray> tensors = new LinkedHashMap<>();
    private final NDArray scale;
    private boolean training;

    private LoraAdapters(Spec spec, NDManager manager) {
        this.spec = spec;
        this.scale = manager.create((float) spec.scale());
        ai.djl.ndarray.NDScope.unregister(scale);
    }

    /** Creates fresh adapters on {@code model}'s targeted projections, seeded by {@code seed}. */
    static LoraAdapters create(Qwen2Model model, Spec spec, long seed) {
        LoraAdapters out = new LoraAdapters(spec, model.manager());
        NDManager m = model.manager();
        for (Map.Entry<String, NDArray> e : model.parameters().entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(".weight")) continue;
            String module = name.substring(0, name.length() - ".weight".length());
            if (spec.targets().stream().noneMatch(t -> module.endsWith("." + t))) continue;
            long[] shape = e.getValue().getShape().getShape(); // [out, in]
            int in = (int) shape[1];
            int out_ = (int) shape[0];
            float bound = (float) (1.0 / Math.sqrt(in));
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + name.hashCode());
            float[] a = new float[spec.rank() * in];
            for (int i = 0; i < a.length; i++) a[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            NDArray aa = m.create(a, new Shape(spec.rank(), in));
            NDArray bb = m.zeros(new Shape(out_, spec.rank()));
            ai.djl.ndarray.NDScope.unregister(aa, bb);
            Adapter adapter = new Adapter(module, aa, bb);
            out.byWeight.put(e.getValue(), adapter);
            out.tensors.put(peftName(module, "A"), aa);
            out.tensors.put(peftName(module, "B"), bb);
        }
        if (out.byWeight.isEmpty()) throw new IllegalArgumentException("no projection matches target_modules " + spec.targets());
        return out;
    }

    /** {@return the adapter values {@code spec} adds to a model of {@code config}}: {@code r * (in + out)} per targeted projection and layer */
    static long parameterCount(io.rlvr4j.backend.hf.DecoderConfig config, Spec spec) {
        long h = config.hiddenSize();
        long q = (long) config.numHeads() * config.headDim();
        long kv = (long) config.numKvHeads() * config.headDim();
        long inter = config.intermediateSize();
        long perLayer = 0;
        for (String t : spec.targets()) {
            perLayer += switch (t) {
                case "q_proj" -> h + q;
                case "k_proj", "v_proj" -> h + kv;
                case "o_proj" -> q + h;
                case "gate_proj", "up_proj", "down_proj" -> h + inter;
                default -> throw new IllegalArgumentException(t);
            };
        }
        return perLayer * spec.rank() * config.numLayers();
    }

    /** {@return PEFT's name of an adapter tensor} */
    static String peftName(String module, String which) {
        return "base_model.model." + module + ".lora_" + which + ".weight";
    }

    Spec spec() {
        return spec;
    }

    /** {@return every adapter tensor under its PEFT name} */
    Map<String, NDArray> tensors() {
        return java.util.Collections.unmodifiableMap(tensors);
    }

    /** Whether dropout applies (training passes); off by default. */
    void training(boolean on) {
        this.training = on;
    }

    /** {@return {@code x W^T + b}, plus the adapter's low-rank update where {@code w} has one} */
    NDArray linear(NDArray x, NDArray w, NDArray b) {
        NDArray y = Ops.linear(x, w, b);
        Adapter a = byWeight.get(w);
        if (a == null) return y;
        NDArray in = training && spec.dropout() > 0 ? Ops.dropout(x, spec.dropout()) : x;
        return y.add(Ops.linear(Ops.linear(in, a.a(), null), a.b(), null).mul(scale));
    }

    /** {@return {@code W + (alpha / r) B A}} for a base weight with an adapter, else null */
    NDArray merged(NDArray w) {
        Adapter a = byWeight.get(w);
        return a == null ? null : w.add(a.b().matMul(a.a()).mul(scale));
    }
}
