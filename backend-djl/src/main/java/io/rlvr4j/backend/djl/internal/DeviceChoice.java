package io.rlvr4j.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.rlvr4j.backend.hf.DecodeLoop;

/**
 * {@link DecodeLoop.Pick} on a step's {@code [rows, vocab]} logits where they are (the model's device):
 * the same computation as the ONNX engine's graph, so that both return the same ids. Arrays made here
 * belong to the caller's scope.
 */
final class DeviceChoice {

    private DeviceChoice() {}

    /**
     * {@return what {@code pick} asks of the {@code [rows, (1,) vocab]} logits {@code lastPosition}}; for
     * {@link DecodeLoop.Pick.Kind#TOP} a row is read from {@code lastPosition} when asked, so the caller
     * keeps it open until the next step
     */
    static DecodeLoop.Scores scores(NDArray lastPosition, DecodeLoop.Pick pick) {
        long vocab = lastPosition.getShape().getLastDimension();
        long rows = lastPosition.size() / vocab;
        NDArray logits = lastPosition.reshape(rows, vocab);
        switch (pick.kind()) {
            case LOGITS -> {
                return DecodeLoop.Scores.ofLogits(logits.toFloatArray());
            }
            case GREEDY -> {
                NDArray token = logits.argMax(1).reshape(rows, 1);
                NDArray max = logits.max(new int[] {1}, true);
                NDArray lse = max.add(logits.sub(max).exp().sum(new int[] {1}, true).log());
                NDArray logProb = logits.gather(token, 1).sub(lse);
                return DecodeLoop.Scores.ofTokens(token.toLongArray(), logProb.toFloatArray());
            }
            case SAMPLE -> {
                NDArray z = logits.mul(pick.inverseTemperature());
                NDArray max = z.max(new int[] {1}, true);
                NDArray w = z.sub(max).exp();
                NDArray sum = w.sum(new int[] {1}, true);
                NDArray target = logits.getManager().create(pick.uniforms(), new Shape(rows, 1)).toDevice(logits.getDevice(), false).mul(sum);
                NDArray below = w.cumSum(1).lte(target).toType(DataType.INT64, false).sum(new int[] {1}, true);
                NDArray token = NDArrays.where(below.lt(vocab), below, z.argMax(1).reshape(rows, 1));
                NDArray logProb = z.gather(token, 1).sub(max.add(sum.log()));
                return DecodeLoop.Scores.ofTokens(token.toLongArray(), logProb.toFloatArray());
            }
            default -> {
                int k = (int) Math.min(pick.candidates(), vocab);
                NDList top = logits.topK(k, 1, true, true);
                NDArray z = logits.mul(pick.inverseTemperature());
                NDArray sum = z.sub(z.max(new int[] {1}, true)).exp().sum(new int[] {1});
                return DecodeLoop.Scores.ofCandidates(top.get(0).toFloatArray(), top.get(1).toType(DataType.INT64, false).toLongArray(),
                        sum.toFloatArray(), row -> {
                            try (NDArray flat = lastPosition.reshape(rows, vocab); NDArray r = flat.get(row)) {
                                return r.toFloatArray();
                            }
                        });
            }
        }
    }
}
