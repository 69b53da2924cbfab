package io.rlvr4j.backend.djl.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rlvr4j.api.MatmulTimer;
import io.rlvr4j.api.config.Settings;

/** {@link MatmulTimer} for both djl providers: PyTorch's float32 matmul on the configured device and threads. */
final class MatmulTiming {

    private MatmulTiming() {}

    static double flopsPerSecond(int m, int k, int n, int reps, Settings settings) {
        if (m < 1 || k < 1 || n < 1 || reps < 1) throw new IllegalArgumentException("m, k, n and reps must be at least 1");
        Device device = DjlSettings.read(settings).start();
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray a = manager.randomNormal(new Shape(m, k));
            NDArray b = manager.randomNormal(new Shape(k, n));
            long best = Long.MAX_VALUE;
            for (int r = 0; r <= reps; r++) {
                long t0 = System.nanoTime();
                try (NDArray c = a.dot(b); NDArray corner = c.get(0, 0)) {
                    corner.toFloatArray(); // waits for the product on a GPU
                }
                long t = System.nanoTime() - t0;
                if (r > 0) best = Math.min(best, t);
            }
            return 2.0 * m * k * n / (best / 1e9);
        }
    }
}
