package io.rlvr4j.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.rlvr4j.api.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;

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
 * fused native call per parameter.
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
