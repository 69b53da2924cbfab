package io.rlvr4j.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.backend.hf.AtomicFiles;
import io.rlvr4j.backend.hf.JsonFiles;
import io.rlvr4j.backend.hf.Safetensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW as {@code torch.optim.AdamW} computes it, after global-norm clipping as
 * {@code torch.nn.utils.clip_grad_norm_} does, with a linear warm-up:
 * <pre>
 *   norm = sqrt(sum over parameters of sum(g^2))          (reported as grad_norm, before clipping)
 *   g   *= min(1, clip / (norm + 1e-6))                   (when clip &gt; 0)
 *   lr_t = lr * min(1, t / warmup)                         (t = 1, 2, …; lr when warmup = 0)
 *   p   -= lr_t * wd * p                                   (decoupled weight decay)
 *   m    = beta1 m + (1 - beta1) g ;  v = beta2 v + (1 - beta2) g^2
 *   p   -= lr_t / (1 - beta1^t) * m / (sqrt(v / (1 - beta2^t)) + eps)
 * </pre>
 * The warm-up is that of a {@code LambdaLR} with {@code lambda(s) = min(1, (s + 1) / warmup)}: the
 * first step already uses {@code lr / warmup}. Weight decay applies to every parameter, norms and
 * biases included, as {@code torch.optim.AdamW(model.parameters())} does (and as the reference
 * fixture's optimiser did). A parameter that received no gradient is skipped entirely, as
 * PyTorch skips parameters whose {@code grad} is {@code None}. When the norm is not finite the
 * update is skipped (the parameters keep their values) and the step is reported as such.
 *
 * <p>The moments live in the model's manager, outside every per-step scope; the update is one
 * fused native call per parameter. {@link #save} writes them ({@value #MOMENTS}, float32, as
 * {@code exp_avg.<name>} and {@code exp_avg_sq.<name>}, the names of {@code torch.optim.AdamW}'s
 * state) with the step counts ({@value #COUNTS}); {@link #restore} reads them back exactly.
 */
final class AdamW {

    /** What one step did. */
    record Step(double gradNorm, double learningRate, boolean applied) {
    }

    private final OptimizerSpec spec;
    private final List<NDArray> parameters;
    private final NDArray[] mean;
    private final NDArray[] variance;
    private final long[] counts;
    private long steps;

    /** The moments' file in a training-state directory. */
    static final String MOMENTS = "optimizer.safetensors";
    /** The step counts' file: {@code {"steps": N, "counts": {name: t, …}}}. */
    static final String COUNTS = "optimizer.json";

    AdamW(OptimizerSpec spec, List<NDArray> parameters, NDManager manager) {
        this.spec = spec;
        this.parameters = List.copyOf(parameters);
        this.mean = new NDArray[parameters.size()];
        this.variance = new NDArray[parameters.size()];
        this.counts = new long[parameters.size()];
        for (int i = 0; i < parameters.size(); i++) {
            mean[i] = manager.zeros(parameters.get(i).getShape());
            variance[i] = manager.zeros(parameters.get(i).getShape());
            NDScope.unregister(mean[i], variance[i]);
        }
    }

    /** {@return the steps taken} */
    long steps() {
        return steps;
    }

    /**
     * Writes the moments and step counts to {@code dir}, each parameter under its name in {@code names}
     * (one per parameter, in order).
     */
    void save(Path dir, List<String> names) {
        List<Safetensors.Source> tensors = new ArrayList<>();
        JsonObject counts = new JsonObject();
        for (int i = 0; i < parameters.size(); i++) {
            tensors.add(source("exp_avg." + names.get(i), mean[i]));
            tensors.add(source("exp_avg_sq." + names.get(i), variance[i]));
            counts.addProperty(names.get(i), this.counts[i]);
        }
        Safetensors.write(dir.resolve(MOMENTS), tensors, "F32");
        JsonObject json = new JsonObject();
        json.addProperty("steps", steps);
        json.add("counts", counts);
        AtomicFiles.writeString(dir.resolve(COUNTS), new Gson().toJson(json) + "\n");
    }

    /**
     * Reads back what {@link #save} wrote for parameters of the same names and shapes.
     *
     * @throws IllegalArgumentException when {@code dir} holds another model's optimiser state, or none
     */
    void restore(Path dir, List<String> names) {
        Path file = dir.resolve(MOMENTS);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(dir.resolve(COUNTS))) {
            throw new IllegalArgumentException(dir + " holds no optimiser state (" + MOMENTS + " and " + COUNTS + ")");
        }
        JsonObject json = JsonFiles.readObject(dir.resolve(COUNTS));
        JsonObject savedCounts = json.getAsJsonObject("counts");
        Map<String, Safetensors.TensorInfo> header = Safetensors.header(file);
        Map<String, NDArray> targets = new HashMap<>();
        long[] restoredCounts = new long[parameters.size()];
        for (int i = 0; i < parameters.size(); i++) {
            String name = names.get(i);
            long[] shape = parameters.get(i).getShape().getShape();
            for (String key : List.of("exp_avg." + name, "exp_avg_sq." + name)) {
                Safetensors.TensorInfo t = header.get(key);
                if (t == null || !Arrays.equals(t.shape(), shape)) {
                    throw new IllegalArgumentException(file + ": " + (t == null ? "no " + key
                            : key + " has shape " + Arrays.toString(t.shape()) + ", the parameter " + Arrays.toString(shape))
                            + ": the optimiser state of another model");
                }
            }
            if (savedCounts == null || !savedCounts.has(name)) throw new IllegalArgumentException(dir.resolve(COUNTS) + ": no step count of " + name);
            restoredCounts[i] = savedCounts.get(name).getAsLong();
            targets.put("exp_avg." + name, mean[i]);
            targets.put("exp_avg_sq." + name, variance[i]);
        }
        if (header.size() != targets.size()) {
            throw new IllegalArgumentException(file + " holds " + header.size() / 2 + " parameters' moments, this model trains " + parameters.size());
        }
        try (Ops.GradMode _ = Ops.gradMode(false)) {
            Safetensors.read(header, new Safetensors.TensorSink() {
                @Override
                public void accept(String name, long[] shape, ByteBuffer data) {
                    try (NDScope _ = new NDScope()) {
                        NDArray read = targets.get(name).getManager().create(data.order(ByteOrder.nativeOrder()), new Shape(shape), DataType.FLOAT32);
                        Ops.put(targets.get(name), read, new long[shape.length], shape);
                    }
                }

                @Override
                public void acceptRows(String name, long[] shape, long firstRow, ByteBuffer data) {
                    long rowValues = Arrays.stream(shape).skip(1).reduce(1, (x, y) -> x * y);
                    long[] part = shape.clone();
                    part[0] = data.remaining() / 4 / rowValues;
                    try (NDScope _ = new NDScope()) {
                        NDArray rows = targets.get(name).getManager().create(data.order(ByteOrder.nativeOrder()), new Shape(part), DataType.FLOAT32);
                        targets.get(name).set(new NDIndex().addSliceDim(firstRow, firstRow + part[0]), rows);
                    }
                }
            });
        }
        System.arraycopy(restoredCounts, 0, counts, 0, counts.length);
        steps = json.get("steps").getAsLong();
    }

    private static Safetensors.Source source(String name, NDArray array) {
        return new Safetensors.Source(name, array.getShape().getShape(), (from, to) -> ModelFiles.rows(array, from, to));
    }

    /** Sets every gradient to zero, before a step's first backward pass. */
    void zeroGradients() {
        for (NDArray p : parameters) Ops.zeroGradient(p);
    }

    /** Updates the parameters from their accumulated gradients. */
    Step step() {
        steps++;
        double lr = spec.warmupSteps() > 0 ? spec.learningRate() * Math.min(1.0, (double) steps / spec.warmupSteps()) : spec.learningRate();
        try (Ops.GradMode _ = Ops.gradMode(false); NDScope _ = new NDScope()) {
            NDArray[] grads = new NDArray[parameters.size()];
            List<NDArray> squares = new ArrayList<>();
            for (int i = 0; i < grads.length; i++) {
                grads[i] = Ops.gradient(parameters.get(i));
                if (grads[i] != null) squares.add(grads[i].square().sum());
            }
            if (squares.isEmpty()) return new Step(0, lr, false);
            double norm = Math.sqrt(NDArrays.stack(new NDList(squares)).sum().getFloat());
            if (!Double.isFinite(norm)) return new Step(norm, lr, false);
            double coef = spec.gradClip() > 0 ? Math.min(1.0, spec.gradClip() / (norm + 1e-6)) : 1.0;
            for (int i = 0; i < grads.length; i++) {
                if (grads[i] == null) continue;
                long t = ++counts[i];
                double bc1 = 1 - Math.pow(spec.beta1(), t);
                double sqrtBc2 = Math.sqrt(1 - Math.pow(spec.beta2(), t));
                // m * lr * sqrt(bc2) / bc1 / (sqrt(v) + eps * sqrt(bc2)) == lr / bc1 * m / (sqrt(v / bc2) + eps)
                Ops.adamW(parameters.get(i), grads[i], mean[i], variance[i], (float) lr, (float) (lr * sqrtBc2 / bc1),
                        (float) spec.weightDecay(), (float) coef, (float) spec.beta1(), (float) spec.beta2(),
                        (float) (spec.epsilon() * sqrtBc2));
            }
            return new Step(norm, lr, true);
        }
    }
}
