package io.rlvr4j.backend.onnx.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnx.proto.OnnxMl;
import io.rlvr4j.api.config.Settings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The engine's float32 matmul: a one-node graph {@code y = x W} whose weight is an initializer, as the
 * decoder's are (so ONNX Runtime pre-packs it as it does theirs), run with the decoder's session options.
 */
final class MatmulTiming {

    private MatmulTiming() {}

    static double flopsPerSecond(int m, int k, int n, int reps, Settings settings) {
        if (m < 1 || k < 1 || n < 1 || reps < 1) throw new IllegalArgumentException("m, k, n and reps must be at least 1");
        GraphWriter g = new GraphWriter("matmul");
        g.input("x", OnnxMl.TensorProto.DataType.FLOAT, m, k);
        g.weight("w", k, n);
        g.opInto("y", "MatMul", List.of("x", "w"));
        g.output("y", OnnxMl.TensorProto.DataType.FLOAT, m, n);
        SplittableRandom rng = new SplittableRandom(1);
        FloatBuffer w = direct((long) k * n, rng);
        FloatBuffer x = direct((long) m * k, rng);
        FloatBuffer y = direct((long) m * n, null);
        try (OrtSession.SessionOptions options = OnnxPlacement.read(settings).sessionOptions();
             OnnxTensor weight = OnnxTensor.createTensor(OnnxDecoder.ENV, w, new long[] {k, n})) {
            options.addExternalInitializers(Map.of("w", weight));
            try (OrtSession session = OnnxDecoder.ENV.createSession(g.model(), options);
                 OnnxTensor input = OnnxTensor.createTensor(OnnxDecoder.ENV, x, new long[] {m, k});
                 OnnxTensor output = OnnxTensor.createTensor(OnnxDecoder.ENV, y, new long[] {m, n})) {
                long best = Long.MAX_VALUE;
                for (int r = 0; r <= reps; r++) {
                    long t0 = System.nanoTime();
                    session.run(Map.of("x", input), java.util.Set.of(), Map.of("y", output)).close();
                    long t = System.nanoTime() - t0;
                    if (r > 0) best = Math.min(best, t);
                }
                return 2.0 * m * k * n / (best / 1e9);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not time a matmul: " + e.getMessage(), e);
        }
    }

    private static FloatBuffer direct(long count, SplittableRandom rng) {
        FloatBuffer b = ByteBuffer.allocateDirect(Math.toIntExact(4 * count)).order(ByteOrder.nativeOrder()).asFloatBuffer();
        if (rng != null) for (int i = 0; i < count; i++) b.put(i, (float) (rng.nextDouble() - 0.5));
        return b;
    }
}
