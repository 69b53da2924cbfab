package io.rlvr4j.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The few PyTorch operations that DJL's engine-neutral {@link NDArray} does not offer, or offers
 * through extra copies: fused {@code F.linear}, {@code F.embedding}, slicing views and in-place
 * slice writes, autograd mode. Every result belongs to the manager of the first operand and to the
 * innermost {@link ai.djl.ndarray.NDScope}.
 */
final class Ops {

    private Ops() {
    }

    /** {@return {@code x W^T + b}} ({@code torch.nn.functional.linear}); {@code b} may be null */
    static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return JniUtils.linear((PtNDArray) x, (PtNDArray) w, (PtNDArray) b);
    }

    /** {@return inverted dropout of {@code x}: each value zeroed with probability {@code p}, the rest scaled by {@code 1 / (1 - p)}} */
    static NDArray dropout(NDArray x, double p) {
        return JniUtils.dropout((PtNDArray) x, p, true);
    }

    /** {@return the rows of {@code table} selected by the integer array {@code ids}: shape {@code ids.shape + [table.cols]}} */
    static NDArray embedding(NDArray ids, NDArray table) {
        return JniUtils.embedding((PtNDArray) ids, (PtNDArray) table, false);
    }

    /** {@return the view {@code x[min_0:max_0, min_1:max_1, …]}} (no copy) */
    static NDArray slice(NDArray x, long[] min, long[] max) {
        long[] step = new long[min.length];
        java.util.Arrays.fill(step, 1);
        return JniUtils.index((PtNDArray) x, min, max, step, (PtNDManager) x.getManager());
    }

    /** Writes {@code value} into {@code x[min_0:max_0, …]} in place. */
    static void put(NDArray x, NDArray value, long[] min, long[] max) {
        long[] step = new long[min.length];
        java.util.Arrays.fill(step, 1);
        JniUtils.indexSet((PtNDArray) x, (PtNDArray) value, min, max, step);
    }

    /** {@return the value of a one-element float array of any precision} */
    static double scalar(NDArray a) {
        return a.toType(ai.djl.ndarray.types.DataType.FLOAT64, false).getDouble();
    }

    /** {@return the logistic sigmoid of {@code x}} */
    static NDArray sigmoid(NDArray x) {
        return JniUtils.sigmoid((PtNDArray) x);
    }

    /** {@return {@code log(1 + exp(x))}} ({@code torch.nn.functional.softplus}) */
    static NDArray softplus(NDArray x) {
        return JniUtils.softPlus((PtNDArray) x);
    }

    /** {@return the gradient accumulated in {@code parameter}, or null when no backward pass reached it} */
    static NDArray gradient(NDArray parameter) {
        return JniUtils.getGradient((PtNDArray) parameter);
    }

    /** Sets the gradient of {@code parameter} to zero, if it has one. */
    static void zeroGradient(NDArray parameter) {
        JniUtils.zeroGrad((PtNDArray) parameter);
    }

    /** Back-propagates from the scalar {@code loss}, accumulating into the parameters' gradients. */
    static void backward(NDArray loss) {
        try (NDArray one = loss.getManager().ones(loss.getShape(), loss.getDataType())) {
            JniUtils.backward((PtNDArray) loss, (PtNDArray) one, false, false);
        }
    }

    /**
     * The fused AdamW update of DJL's PyTorch engine, in place and without autograd:
     * <pre>
     *   w -= lr * wd * w
     *   g  = rescale * grad
     *   m  = beta1 * m + (1 - beta1) * g
     *   v  = beta2 * v + (1 - beta2) * g^2
     *   w -= lrCorrected * m / (sqrt(v) + eps)
     * </pre>
     */
    static void adamW(NDArray w, NDArray grad, NDArray m, NDArray v, float lr, float lrCorrected, float wd, float rescale,
                      float beta1, float beta2, float eps) {
        JniUtils.adamUpdate((PtNDArray) w, (PtNDArray) grad, (PtNDArray) m, (PtNDArray) v, lr, lrCorrected, wd, rescale,
                -1f, beta1, beta2, eps, true);
    }

    /**
     * Sets PyTorch's autograd mode for the calling thread (it is thread-local) and {@return a handle
     * that restores the previous mode}.
     */
    static GradMode gradMode(boolean enabled) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(enabled);
        return () -> JniUtils.setGradMode(previous);
    }

    /** Restores the autograd mode on close. */
    interface GradMode extends AutoCloseable {
        @Override
        void close();
    }
}
