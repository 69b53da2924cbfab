package io.rlvr4j.backend.djl.internal;

import io.rlvr4j.backend.hf.DecoderConfig;
import io.rlvr4j.backend.hf.HfTokenizer;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.rlvr4j.api.Generation;
import io.rlvr4j.api.ModelRole;
import io.rlvr4j.api.Policy;
import io.rlvr4j.api.PolicySpec;
import io.rlvr4j.api.SamplingParams;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.Tokenizer;
import io.rlvr4j.api.WeightTensor;
import io.rlvr4j.api.objective.Objective;
import io.rlvr4j.api.objective.ValueObjective;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Qwen2 policy on DJL + PyTorch: generation with a KV cache, per-token log-probabilities and
 * values, AdamW steps on the objectives of {@code io.rlvr4j.api.objective}, Hugging Face checkpoints.
 *
 * <p>Training accumulates gradients over micro-batches of {@code micro_batch_size} sequences; every
 * micro-batch's loss carries the whole objective's normalisation ({@link ObjectiveLoss}), so the
 * step equals a full-batch step. Every array of a micro-batch lives in an {@link NDScope} closed
 * with it; parameters and optimiser state live in the model's manager.
 *
 * <p>Value alignment: {@link #values} gives, for response token {@code t}, the value head's output
 * on the hidden state at position {@code t - 1}, the state that produced token {@code t}: the same
 * alignment as log-probabilities.
 *
 * <p>Weight decay applies to every parameter (as {@code torch.optim.AdamW(model.parameters())}
 * does, and as the reference fixture's optimiser did).
 *
 * <p>Not thread-safe.
 */
final class DjlPolicy implements Policy {

    private final Qwen2Model model;
    private final HfTokenizer tokenizer;
    private final Generator generator;
    private final ModelRole role;
    private final AdamW optimizer;
    private final int microBatchSize;
    private final int microBatchTokens;
    private final Path modelDir;
    private final String saveDtype;
    private final long maxShardBytes;
    private final String deviceName;
    /** the response positions whose logits are held at once ({@link DjlSettings#logitChunkTokens(int)}) */
    private final int chunkTokens;
    /** the names of the parameters the optimiser trains, in its order (empty when frozen) */
    private final List<String> trainedNames;
    private boolean closed;

    private DjlPolicy(Qwen2Model model, HfTokenizer tokenizer, PolicySpec spec, DjlSettings settings) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.generator = new Generator(model, settings.generationBatchSize());
        this.role = spec.role();
        this.microBatchSize = settings.microBatchSize();
        this.microBatchTokens = settings.microBatchTokens();
        this.modelDir = spec.modelDir();
        this.saveDtype = settings.saveDtype(); // null: the source's, found when saving
        this.maxShardBytes = settings.maxShardBytes();
        this.chunkTokens = settings.logitChunkTokens(model.config().vocabSize());
        this.deviceName = model.device().isGpu() ? "cuda:" + model.device().getDeviceId() : "cpu";
        if (spec.trainable() && settings.lora() != null && role == ModelRole.ACTOR) {
            // LoRA: the base stays frozen, the adapters alone train
            LoraAdapters adapters = LoraAdapters.create(model, settings.lora(), spec.seed());
            model.adapt(adapters);
            List<NDArray> params = List.copyOf(adapters.tensors().values());
            for (NDArray p : params) p.setRequiresGradient(true);
            this.optimizer = new AdamW(spec.optimizer(), params, model.manager());
            this.trainedNames = List.copyOf(adapters.tensors().keySet());
        } else if (spec.trainable()) {
            // a critic's loss never reaches lm_head, an actor's never reaches the value head
            List<NDArray> params = role == ModelRole.CRITIC ? model.valueParameters() : model.languageModelParameters();
            for (NDArray p : params) p.setRequiresGradient(true);
            this.optimizer = new AdamW(spec.optimizer(), params, model.manager());
            Map<NDArray, String> names = new java.util.IdentityHashMap<>();
            model.parameters().forEach((name, p) -> names.put(p, name));
            this.trainedNames = params.stream().map(names::get).toList();
        } else {
            this.optimizer = null;
            this.trainedNames = List.of();
        }
    }

    /** Opens the policy that {@code spec} describes. */
    static DjlPolicy open(PolicySpec spec, DjlSettings settings) {
        DecoderConfig config = DecoderConfig.read(spec.modelDir());
        Device device = settings.start();
        boolean critic = spec.role() == ModelRole.CRITIC;
        HfTokenizer tokenizer = HfTokenizer.open(spec.modelDir(), config);
        Qwen2Model model = null;
        try {
            model = spec.init() == PolicySpec.Init.RANDOM
                    ? Qwen2Weights.random(config, device, critic, spec.seed())
                    : Qwen2Weights.load(config, spec.modelDir(), device, critic, spec.seed());
            return new DjlPolicy(model, tokenizer, spec, settings);
        } catch (RuntimeException e) {
            if (model != null) model.close();
            tokenizer.close();
            throw e;
        }
    }

    /** {@return the underlying model} (for tests and the rollout engine) */
    Qwen2Model model() {
        return model;
    }

    @Override
    public String describe() {
        DecoderConfig c = model.config();
        LoraAdapters lora = model.adapters();
        return String.format(Locale.ROOT, "%s %d layers, hidden %d, %,d parameters, %s%s%s", c.modelType(), c.numLayers(), c.hiddenSize(),
                model.parameterCount(), deviceName, role == ModelRole.CRITIC ? ", value head" : "",
                lora == null ? "" : String.format(Locale.ROOT, ", LoRA r=%d alpha=%s on %s (%,d trained)", lora.spec().rank(), lora.spec().alpha(),
                        String.join(",", lora.spec().targets()), lora.tensors().values().stream().mapToLong(NDArray::size).sum()));
    }

    @Override
    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public List<Generation> generate(List<int[]> prompts, SamplingParams params) {
        ensureOpen();
        return generator.generate(prompts, params, tokenizer);
    }

    /** As {@link #generate}, choosing tokens where {@code placement} says (tests compare the two). */
    List<Generation> generate(List<int[]> prompts, SamplingParams params, io.rlvr4j.backend.hf.DecodeLoop.Placement placement) {
        ensureOpen();
        return generator.generate(prompts, params, tokenizer, placement);
    }

    @Override
    public void loadWeights(Map<String, WeightTensor> weights) {
        ensureOpen();
        Qwen2Weights.copyInto(model, weights);
    }

    @Override
    public float[][] logProbs(List<TokenSequence> sequences, double temperature) {
        ensureOpen();
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be > 0 and finite, but is: " + temperature);
        }
        return score(sequences, false, temperature);
    }

    @Override
    public float[][] values(List<TokenSequence> sequences) {
        ensureOpen();
        if (role != ModelRole.CRITIC) throw new UnsupportedOperationException("values() needs a policy opened as CRITIC; this one is " + role.configName());
        return score(sequences, true, 1.0);
    }

    private float[][] score(List<TokenSequence> sequences, boolean values, double temperature) {
        Batches.checkSequences(sequences, model.config().vocabSize());
        float[][] out = new float[sequences.size()][];
        NDManager m = model.manager();
        try (Ops.GradMode _ = Ops.gradMode(false)) {
            for (Batches.MicroBatch mb : Batches.plan(sequences, microBatchSize, microBatchTokens)) {
                if (mb.tokenCount() == 0) {
                    for (int idx : mb.indices) out[idx] = new float[0];
                    continue;
                }
                model.ensureRope(mb.width);
                try (NDScope _ = new NDScope()) {
                    NDArray states = mb.predictingStates(model.hidden(mb.ids(m), mb.positions(m), mb.causalBias(m), null, 0));
                    float[] host;
                    if (values) {
                        host = model.values(states).toFloatArray();
                    } else {
                        host = new float[mb.rows * mb.columns];
                        NDArray targets = mb.targets(m);
                        forEachChunk(mb, (from, to) -> {
                            try (NDScope _ = new NDScope()) { // one chunk's logits at a time
                                NDArray all = tempered(model.logits(columns(states, from, to)), temperature).logSoftmax(2);
                                place(all.gather(columns(targets, from, to), 2).toFloatArray(), host, mb, from, to);
                            }
                        });
                    }
                    float[][] rows = mb.responses(host);
                    for (int r = 0; r < mb.rows; r++) out[mb.indices[r]] = rows[r];
                }
            }
        }
        return out;
    }

    @Override
    public Map<String, Double> train(Objective objective) {
        ensureOpen();
        if (optimizer == null) {
            throw new IllegalStateException("this " + role.configName() + " policy is frozen (opened without an optimizer): it cannot train");
        }
        optimizer.zeroGradients();
        Accumulated acc = accumulate(objective);
        AdamW.Step step = optimizer.step();
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("loss", acc.loss());
        stats.putAll(acc.stats());
        stats.put("grad_norm", step.gradNorm());
        stats.put("lr", step.learningRate());
        if (!step.applied()) stats.put("skipped_step", 1.0);
        return stats;
    }

    /** The loss of an objective and the statistics gathered while its gradients were accumulated. */
    record Accumulated(double loss, Map<String, Double> stats) {
    }

    /**
     * Runs forward and backward passes over the micro-batches of {@code objective}, adding its
     * gradient to the parameters' gradients, and {@return its loss}. {@link #train} zeroes the
     * gradients, calls this and takes the optimiser step; tests call it alone to read gradients.
     */
    Accumulated accumulate(Objective objective) {
        if (objective.sequences().isEmpty()) throw new IllegalArgumentException("the objective has no sequences");
        boolean valueObjective = objective instanceof ValueObjective;
        if (valueObjective != (role == ModelRole.CRITIC)) {
            throw new IllegalArgumentException(valueObjective
                    ? "a ValueObjective needs a policy opened as CRITIC; this one is " + role.configName()
                    : "a critic trains on ValueObjective only, not " + objective.getClass().getSimpleName());
        }
        Batches.checkSequences(objective.sequences(), model.config().vocabSize());
        ObjectiveLoss loss = ObjectiveLoss.of(objective);
        NDManager m = model.manager();
        double total = 0;
        if (model.adapters() != null) model.adapters().training(true); // LoRA dropout in training passes only
        try (Ops.GradMode _ = Ops.gradMode(true)) {
            for (Batches.MicroBatch mb : Batches.plan(objective.sequences(), microBatchSize, microBatchTokens)) {
                if (mb.tokenCount() == 0) {
                    total += loss.constantLoss(mb);
                    continue;
                }
                model.ensureRope(mb.width);
                if (!model.device().isGpu()) ActivationMemory.require(model.config(), mb.rows, mb.width, chunkTokens, ActivationMemory.available());
                try (NDScope _ = new NDScope()) {
                    NDArray states = mb.predictingStates(model.hidden(mb.ids(m), mb.positions(m), mb.causalBias(m), null, 0));
                    if (!loss.usesValues() && chunkColumns(mb) < mb.columns) {
                        total += accumulateInChunks(mb, states, loss, m);
                        continue;
                    }
                    NDArray logp = null;
                    NDArray entropy = null;
                    NDArray rawEntropy = null;
                    NDArray values = null;
                    if (loss.usesValues()) {
                        values = model.values(states);
                    } else {
                        NDArray logits = model.logits(states);
                        NDArray all = tempered(logits, loss.temperature()).logSoftmax(2);
                        logp = all.gather(mb.targets(m), 2).reshape(mb.rows, mb.columns);
                        if (loss.wantsEntropy()) {
                            if (loss.entropyInGraph()) {
                                entropy = entropy(all);
                            } else {
                                try (Ops.GradMode _ = Ops.gradMode(false)) {
                                    entropy = entropy(all);
                                }
                            }
                            if (loss.temperature() != 1.0) {
                                // the model's own entropy beside the tempered one the loss sees (statistics only)
                                try (Ops.GradMode _ = Ops.gradMode(false)) {
                                    rawEntropy = entropy(logits.logSoftmax(2));
                                }
                            }
                        }
                    }
                    NDArray l = loss.loss(mb, logp, entropy, values, m);
                    Ops.backward(l);
                    total += Ops.scalar(l);
                    loss.observe(mb, logp == null ? null : logp.toFloatArray(), entropy == null ? null : entropy.toFloatArray(),
                            rawEntropy == null ? null : rawEntropy.toFloatArray(), values == null ? null : values.toFloatArray());
                }
            }
        } finally {
            if (model.adapters() != null) model.adapters().training(false);
        }
        return new Accumulated(total, loss.stats());
    }

    /**
     * One micro-batch's forward-backward with its logits held {@link #chunkColumns} columns at a time,
     * adding the same gradients as the whole-micro-batch pass and {@return its loss}. The log-probs and
     * entropies are computed chunk by chunk without a graph; the loss, a function of those
     * {@code [rows, columns]} matrices only, is back-propagated to them; then each chunk's output layer
     * is run again with a graph and back-propagated with those gradients, into the output layer's
     * weights and the detached hidden states; last, the hidden states' gradient goes through the body.
     * No graph ever holds more than one chunk of logits.
     */
    private double accumulateInChunks(Batches.MicroBatch mb, NDArray states, ObjectiveLoss loss, NDManager m) {
        NDArray hidden = states.stopGradient();
        hidden.setRequiresGradient(true);
        NDArray targets = mb.targets(m);
        boolean tempered = loss.temperature() != 1.0;
        float[] logpHost = new float[mb.rows * mb.columns];
        float[] entropyHost = loss.wantsEntropy() ? new float[logpHost.length] : null;
        float[] rawHost = loss.wantsEntropy() && tempered ? new float[logpHost.length] : null;
        try (Ops.GradMode _ = Ops.gradMode(false)) {
            forEachChunk(mb, (from, to) -> {
                try (NDScope _ = new NDScope()) {
                    NDArray logits = model.logits(columns(hidden, from, to));
                    NDArray all = tempered(logits, loss.temperature()).logSoftmax(2);
                    place(all.gather(columns(targets, from, to), 2).toFloatArray(), logpHost, mb, from, to);
                    if (entropyHost != null) place(entropy(all).toFloatArray(), entropyHost, mb, from, to);
                    if (rawHost != null) place(entropy(logits.logSoftmax(2)).toFloatArray(), rawHost, mb, from, to);
                }
            });
        }
        NDArray logp = mb.matrix(m, logpHost);
        logp.setRequiresGradient(true);
        NDArray entropy = entropyHost == null ? null : mb.matrix(m, entropyHost);
        boolean entropyGradient = entropy != null && loss.entropyInGraph();
        if (entropyGradient) entropy.setRequiresGradient(true);
        NDArray l = loss.loss(mb, logp, entropy, null, m);
        Ops.backward(l);
        double value = Ops.scalar(l);
        NDArray logpGrad = Ops.gradient(logp);
        NDArray entropyGrad = entropyGradient ? Ops.gradient(entropy) : null;
        forEachChunk(mb, (from, to) -> {
            try (NDScope _ = new NDScope()) {
                NDArray all = tempered(model.logits(columns(hidden, from, to)), loss.temperature()).logSoftmax(2);
                NDArray chunkLogp = all.gather(columns(targets, from, to), 2).reshape(mb.rows, to - from);
                NDArray surrogate = chunkLogp.mul(columns(logpGrad, from, to)).sum();
                if (entropyGrad != null) surrogate = surrogate.add(entropy(all).mul(columns(entropyGrad, from, to)).sum());
                Ops.backward(surrogate);
            }
        });
        Ops.backward(states.mul(Ops.gradient(hidden)).sum());
        loss.observe(mb, logpHost, entropyHost, rawHost, null);
        return value;
    }

    /** {@return the columns per chunk of {@code mb}'s logits}: all of them when they fit {@link #chunkTokens} */
    private int chunkColumns(Batches.MicroBatch mb) {
        return (int) Math.max(1, Math.min(mb.columns, (long) chunkTokens / mb.rows));
    }

    /** Calls {@code chunk} with each column range {@code [from, to)} of {@code mb}, {@link #chunkColumns} wide. */
    private void forEachChunk(Batches.MicroBatch mb, ColumnRange chunk) {
        int step = chunkColumns(mb);
        for (int from = 0; from < mb.columns; from += step) chunk.accept(from, Math.min(mb.columns, from + step));
    }

    private interface ColumnRange {
        void accept(int from, int to);
    }

    /** {@return the view {@code a[:, from:to, …]}} of an array {@code [rows, columns, …]} */
    private static NDArray columns(NDArray a, int from, int to) {
        long[] shape = a.getShape().getShape();
        long[] min = new long[shape.length];
        long[] max = shape.clone();
        min[1] = from;
        max[1] = to;
        return Ops.slice(a, min, max);
    }

    /** Writes a chunk's {@code [rows, to - from]} values into columns {@code [from, to)} of a host matrix {@code [rows, columns]}. */
    private static void place(float[] chunk, float[] host, Batches.MicroBatch mb, int from, int to) {
        int w = to - from;
        for (int r = 0; r < mb.rows; r++) System.arraycopy(chunk, r * w, host, r * mb.columns + from, w);
    }

    /** {@return {@code logits / temperature}, or {@code logits} itself at temperature 1} */
    private static NDArray tempered(NDArray logits, double temperature) {
        return temperature == 1.0 ? logits : logits.div((float) temperature);
    }

    /** {@return the entropy {@code -sum_v p_v log p_v} of each position of log-probabilities {@code [B, T, V]}} */
    private static NDArray entropy(NDArray logProbs) {
        return logProbs.exp().mul(logProbs).sum(new int[] {2}).neg();
    }

    @Override
    public long steps() {
        return optimizer == null ? 0 : optimizer.steps();
    }

    @Override
    public Map<String, WeightTensor> exportWeights() {
        ensureOpen();
        return Qwen2Weights.export(model);
    }

    /** On the CPU the tensors lent are views of the parameters: a weight sync copies them once, into the engine. */
    @Override
    public void lendWeights(java.util.function.Consumer<Map<String, WeightTensor>> borrower) {
        ensureOpen();
        Qwen2Weights.lend(model, borrower);
    }

    @Override
    public void save(Path dir) {
        ensureOpen();
        ModelFiles.save(model, modelDir, dir, saveDtype != null ? saveDtype : ModelFiles.sourceDtype(modelDir, model.config()), maxShardBytes);
        if (model.adapters() != null) ModelFiles.saveAdapter(model.adapters(), modelDir, dir.resolve(ModelFiles.ADAPTER_DIR));
    }

    /**
     * Writes the optimiser's state ({@link AdamW#save}) and, when {@link #save} writes a narrower dtype
     * than float32, the float32 weights themselves ({@value #EXACT_WEIGHTS}), so that a resumed run
     * trains on exactly these values.
     */
    @Override
    public void saveTrainingState(Path dir) {
        ensureOpen();
        requireOptimizer();
        if (model.adapters() != null) {
            throw new UnsupportedOperationException(describe() + ": a LoRA run cannot be checkpointed for an exact resume yet"
                    + " (set checkpoint_every: 0; the saved model has the adapter merged and beside it in adapter/)");
        }
        try {
            java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + dir, e);
        }
        optimizer.save(dir, trainedNames);
        String dtype = saveDtype != null ? saveDtype : ModelFiles.sourceDtype(modelDir, model.config());
        if (!dtype.equals("F32")) {
            List<io.rlvr4j.backend.hf.Safetensors.Source> tensors = new java.util.ArrayList<>();
            model.parameters().forEach((name, p) -> tensors.add(new io.rlvr4j.backend.hf.Safetensors.Source(name, p.getShape().getShape(),
                    (from, to) -> ModelFiles.rows(p, from, to))));
            io.rlvr4j.backend.hf.Safetensors.write(dir.resolve(EXACT_WEIGHTS), tensors, "F32");
        }
    }

    @Override
    public void restoreTrainingState(Path dir) {
        ensureOpen();
        requireOptimizer();
        Path exact = dir.resolve(EXACT_WEIGHTS);
        if (java.nio.file.Files.isRegularFile(exact)) {
            Map<String, WeightTensor> weights = new LinkedHashMap<>();
            io.rlvr4j.backend.hf.Safetensors.read(exact, (name, shape, data) -> {
                float[] values = new float[data.remaining() / 4];
                data.order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer().get(values);
                weights.put(name, new WeightTensor(shape, values));
            });
            Qwen2Weights.copyInto(model, weights);
        }
        optimizer.restore(dir, trainedNames);
    }

    /** The float32 weights of a training state whose model was saved in a narrower dtype. */
    static final String EXACT_WEIGHTS = "weights.float32.safetensors";

    private void requireOptimizer() {
        if (optimizer == null) {
            throw new IllegalStateException("this " + role.configName() + " policy is frozen (opened without an optimizer): it has no training state");
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            model.close();
        } finally {
            tokenizer.close();
        }
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("the policy is closed");
    }
}
