package io.rlvr4j.api;

/**
 * AdamW with global-norm gradient clipping and a linear learning-rate warm-up, the optimiser of every
 * trainable backend.
 *
 * @param learningRate the peak learning rate
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param epsilon added to the second-moment root
 * @param weightDecay decoupled weight decay (Loshchilov &amp; Hutter 2019), applied to every parameter as
 *     {@code torch.optim.AdamW} with one parameter group does (the reference fixture checks this)
 * @param gradClip the largest global L2 norm of the gradient; larger gradients are scaled down (0 = off)
 * @param warmupSteps steps over which the learning rate rises linearly from 0 to {@code learningRate}
 */
public record OptimizerSpec(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                            double gradClip, int warmupSteps) {

    public OptimizerSpec {
        if (!(learningRate > 0)) throw new IllegalArgumentException("lr must be > 0, but is: " + learningRate);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("beta1 must be in [0, 1), but is: " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("beta2 must be in [0, 1), but is: " + beta2);
        if (!(epsilon > 0)) throw new IllegalArgumentException("eps must be > 0, but is: " + epsilon);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight_decay must be >= 0, but is: " + weightDecay);
        if (!(gradClip >= 0)) throw new IllegalArgumentException("grad_clip must be >= 0, but is: " + gradClip);
        if (warmupSteps < 0) throw new IllegalArgumentException("warmup_steps must be >= 0, but is: " + warmupSteps);
    }

    /** {@return AdamW with common defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01, clip 1.0, no warm-up} */
    public static OptimizerSpec adamW(double learningRate) {
        return new OptimizerSpec(learningRate, 0.9, 0.999, 1e-8, 0.01, 1.0, 0);
    }
}
