package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.OptimizerSpec;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.config.Settings;
import io.rlvr4j.backend.hf.fixture.Qwen2Reference;
import java.nio.file.Path;
import java.util.Map;

/** The qwen2-tiny fixture ({@link Qwen2Reference}) opened on the DJL backend, for the tests. */
final class Fixture {

    static final Path DIR = Qwen2Reference.DIR;

    private Fixture() {
    }

    static Settings cpu() {
        return Settings.of(Map.of("device", "cpu", "threads", 2));
    }

    static Settings cpu(int microBatch) {
        return Settings.of(Map.of("device", "cpu", "threads", 2, "micro_batch_size", microBatch));
    }

    static DjlPolicy open(OptimizerSpec optimizer) {
        return open(DIR, optimizer);
    }

    static DjlPolicy open(Path dir, OptimizerSpec optimizer) {
        return (DjlPolicy) new DjlPolicyBackend().open(new PolicySpec(dir, PolicySpec.Init.LOAD, ModelRole.ACTOR, optimizer, 0), cpu());
    }
}
