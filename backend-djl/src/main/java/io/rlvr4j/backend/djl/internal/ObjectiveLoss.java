package io.rlvr4j.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.rlvr4j.api.TokenSequence;
import io.rlvr4j.api.objective.ImplicitPrmObjective;
import io.rlvr4j.api.objective.LossAggregation;
import io.rlvr4j.api.objective.Objective;
import io.rlvr4j.api.objective.PolicyGradientObjective;
import io.rlvr4j.api.objective.SupervisedObjective;
import io.rlvr4j.api.objective.ValueObjective;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensor form of each {@link Objective}, split over micro-batches so that the sum of the
 * micro-batch losses is exactly the objective's loss.
 *
 * <p>Every token loss is multiplied by a weight that carries the aggregation of the <em>whole</em>
 * objective ({@link #tokenWeights}): {@code 1/total_tokens} for token-mean, {@code 1/N} for
 * seq-mean-token-sum, {@code 1/(N len_i)} for seq-mean-token-mean, {@code 1/(N budget)} for
 * seq-mean-token-sum-norm ({@code N} sequences). A micro-batch's loss is the weighted sum of its
 * token losses, and gradients accumulated over micro-batches are those of the full-batch loss, for
 * every aggregation and every micro-batch size.
 *
 * <p>Statistics other than the loss are computed in Java from the log-probabilities copied out of
 * each micro-batch, with the objectives' own reference methods
 * ({@link PolicyGradientObjective#tokenPolicyLoss}, {@link LossAggregation#aggregate} …).
 */
abstract sealed class ObjectiveLoss {

    final List<TokenSequence> sequences;

    private ObjectiveLoss(List<TokenSequence> sequences) {
        this.sequences = sequences;
    }

    /** {@return the tensor form of {@code objective}} */
    static ObjectiveLoss of(Objective objective) {
        return switch (objective) {
            case SupervisedObjective o -> new Supervised(o);
            case PolicyGradientObjective o -> new PolicyGradient(o);
            case ValueObjective o -> new Value(o);
            case ImplicitPrmObjective o -> new ImplicitPrm(o);
        };
    }

    /** {@return the weight of each token of each sequence under {@code aggregation} of the whole objective} */
    static double[] tokenWeights(List<TokenSequence> sequences, LossAggregation aggregation, int budget) {
        int n = sequences.size();
        long tokens = 0;
        for (TokenSequence s : sequences) tokens += s.responseLength();
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            int len = sequences.get(i).responseLength();
            w[i] = switch (aggregation) {
                case TOKEN_MEAN -> tokens == 0 ? 0 : 1.0 / tokens;
                case SEQ_MEAN_TOKEN_SUM -> 1.0 / n;
                case SEQ_MEAN_TOKEN_MEAN -> len == 0 ? 0 : 1.0 / ((double) n * len);
                case SEQ_MEAN_TOKEN_SUM_NORM -> 1.0 / ((double) n * budget);
            };
        }
        return w;
    }

    /** {@return whether the loss reads the value head} (otherwise the token log-probabilities) */
    boolean usesValues() {
        return false;
    }

    /** {@return whether the loss differentiates through the entropy of the full distribution} */
    boolean entropyInGraph() {
        return false;
    }

    /** {@return whether per-token entropies should be computed (for the loss or for statistics)} */
    boolean wantsEntropy() {
        return false;
    }

    /** {@return the temperature the logits are divided by before the log-softmax} */
    double temperature() {
        return 1.0;
    }

    /**
     * {@return this micro-batch's share of the loss, a scalar}
     *
     * @param logp log-probabilities of the predicted tokens {@code [rows, columns]} (null for a value loss)
     * @param entropy per-token entropies {@code [rows, columns]}, when {@link #wantsEntropy()}
     * @param values value-head outputs {@code [rows, columns]}, when {@link #usesValues()}
     */
    abstract NDArray loss(Batches.MicroBatch mb, NDArray logp, NDArray entropy, NDArray values, NDManager m);

    /**
     * Records this micro-batch's host copies for the statistics.
     *
     * @param rawEntropy per-token entropies at temperature 1, when {@link #temperature()} is not 1 (else null)
     */
    abstract void observe(Batches.MicroBatch mb, float[] logp, float[] entropy, float[] rawEntropy, float[] values);

    /** {@return the loss of a micro-batch without response tokens, which is not run} */
    double constantLoss(Batches.MicroBatch mb) {
        return 0;
    }

    /** {@return the statistics gathered over all micro-batches, without {@code loss}, {@code grad_norm}, {@code lr}} */
    abstract Map<String, Double> stats();

    /** Collects per-sequence response rows from micro-batches. */
    private static void scatter(Batches.MicroBatch mb, float[] host, float[][] into) {
        float[][] rows = mb.responses(host);
        for (int r = 0; r < mb.rows; r++) into[mb.indices[r]] = rows[r];
    }

    private static double tokenMean(float[][] rows) {
        double sum = 0;
        long n = 0;
        for (float[] r : rows) {
            if (r == null) continue;
            for (float v : r) sum += v;
            n += r.length;
        }
        return n == 0 ? 0 : sum / n;
    }

    private static float[][] filled(float[][] rows, List<TokenSequence> sequences) {
        for (int i = 0; i < rows.length; i++) if (rows[i] == null) rows[i] = new float[sequences.get(i).responseLength()];
        return rows;
    }

    // ------------------------------------------------------------------ SFT

    /** Negative log-likelihood of the response tokens: {@code loss = agg(-logp)}. */
    static final class Supervised extends ObjectiveLoss {
        private final double[] weights;

        Supervised(SupervisedObjective o) {
            super(o.sequences());
            this.weights = tokenWeights(o.sequences(), o.aggregation(), o.budget());
        }

        @Override
        NDArray loss(Batches.MicroBatch mb, NDArray logp, NDArray entropy, NDArray values, NDManager m) {
            return logp.mul(mb.matrix(m, mb.perSequence(weights))).sum().neg();
        }

        @Override
        void observe(Batches.MicroBatch mb, float[] logp, float[] entropy, float[] rawEntropy, float[] values) {
        }

        @Override
        Map<String, Double> stats() {
            return new LinkedHashMap<>();
        }
    }

    // ------------------------------------------------------------------ policy gradient

    /**
     * The clipped policy-gradient loss of {@link PolicyGradientObjective}, in tensors, per token:
     * {@code pg = max(-A r, -A clip(r, 1 - low, 1 + high))}, dual-clipped for {@code A < 0}, plus
     * {@code kl.coefficient * kl} and minus {@code entropyCoefficient * entropy}; log-ratios are
     * multiplied by the response mask before {@code exp}, so padding never overflows.
     *
     * <p>Statistics: {@code pg_loss} = agg(pg); {@code clip_frac} = fraction of response tokens whose
     * loss clipping changed ({@code clip_frac/low}: ratio below {@code 1 - low} with {@code A < 0};
     * {@code clip_frac/high}: above {@code 1 + high} with {@code A > 0}; {@code clip_frac/dual}: the
     * dual clip bound); {@code approx_kl} = token mean of {@code (r - 1) - log r}, the k3 estimate of
     * {@code KL(old || new)} from the old policy's samples; {@code entropy_adjusted} = token mean of the
     * per-token entropy of {@code softmax(logits / temperature)}, the distribution sampled from and the one
     * the entropy bonus acts on (AceReason's temperature-adjusted entropy, verl's {@code actor/entropy});
     * {@code entropy} = the same at temperature 1, the model's own; {@code kl} = agg(kl estimator), when
     * the penalty is active.
     */
    static final class PolicyGradient extends ObjectiveLoss {
        private final PolicyGradientObjective o;
        private final double[] weights;
        private final float[][] logp;
        private final float[][] entropy;
        private final float[][] rawEntropy;

        PolicyGradient(PolicyGradientObjective o) {
            super(o.sequences());
            this.o = o;
            this.weights = tokenWeights(o.sequences(), o.aggregation(), o.budget());
            this.logp = new float[o.sequences().size()][];
            this.entropy = new float[o.sequences().size()][];
            this.rawEntropy = new float[o.sequences().size()][];
        }

        @Override
        double temperature() {
            return o.temperature();
        }

        @Override
        boolean entropyInGraph() {
            return o.entropyCoefficient() > 0;
        }

        @Override
        boolean wantsEntropy() {
            return true;
        }

        @Override
        NDArray loss(Batches.MicroBatch mb, NDArray lp, NDArray ent, NDArray values, NDManager m) {
            float[] maskHost = mb.perSequence(ones(sequences.size()));
            NDArray mask = mb.matrix(m, maskHost);
            NDArray adv = mb.matrix(m, mb.perToken(o.advantages()));
            NDArray negAdv = adv.neg();
            NDArray ratio = lp.sub(mb.matrix(m, mb.perToken(o.oldLogProbs()))).mul(mask).exp();
            NDArray clipped = ratio.clip((float) (1 - o.clip().low()), (float) (1 + o.clip().high()));
            NDArray pg = NDArrays.maximum(negAdv.mul(ratio), negAdv.mul(clipped));
            if (o.dualClip() > 0) {
                NDArray dual = NDArrays.minimum(pg, negAdv.mul((float) o.dualClip()));
                pg = NDArrays.where(adv.lt(0f), dual, pg);
            }
            NDArray token = pg;
            if (o.kl().active()) {
                NDArray d = mb.matrix(m, mb.perToken(o.refLogProbs())).sub(lp).mul(mask);
                NDArray kl = switch (o.kl().estimator()) {
                    case K1 -> d.neg();
                    case K2 -> d.square().mul(0.5f);
                    case K3 -> { // verl's low_var_kl, clamped as KlEstimator.K3
                        NDArray c = d.clip(-20f, 20f);
                        yield NDArrays.minimum(c.exp().sub(1f).sub(c), 10f);
                    }
                };
                token = token.add(kl.mul((float) o.kl().coefficient()));
            }
            if (o.entropyCoefficient() > 0) token = token.sub(ent.mul((float) o.entropyCoefficient()));
            return token.mul(mb.matrix(m, mb.perSequence(weights))).sum();
        }

        @Override
        void observe(Batches.MicroBatch mb, float[] lp, float[] ent, float[] rawEntropy, float[] values) {
            scatter(mb, lp, logp);
            scatter(mb, ent, entropy);
            scatter(mb, rawEntropy == null ? ent : rawEntropy, this.rawEntropy);
        }

        @Override
        Map<String, Double> stats() {
            float[][] lp = filled(logp, sequences);
            int n = sequences.size();
            float[][] pg = new float[n][];
            float[][] kl = o.kl().active() ? new float[n][] : null;
            long tokens = 0;
            long low = 0;
            long high = 0;
            long dual = 0;
            long changed = 0;
            double approxKl = 0;
            for (int i = 0; i < n; i++) {
                int len = lp[i].length;
                pg[i] = new float[len];
                if (kl != null) kl[i] = new float[len];
                for (int k = 0; k < len; k++) {
                    double l = lp[i][k];
                    double old = o.oldLogProbs()[i][k];
                    double a = o.advantages()[i][k];
                    pg[i][k] = (float) o.tokenPolicyLoss(l, old, a);
                    double r = Math.exp(l - old);
                    double c = Math.min(Math.max(r, 1 - o.clip().low()), 1 + o.clip().high());
                    boolean clipChanged = -a * c > -a * r;
                    boolean isLow = clipChanged && a < 0;
                    boolean isHigh = clipChanged && a > 0;
                    boolean isDual = o.dualClip() > 0 && a < 0 && -a * o.dualClip() < Math.max(-a * r, -a * c);
                    if (isLow) low++;
                    if (isHigh) high++;
                    if (isDual) dual++;
                    if (clipChanged || isDual) changed++;
                    approxKl += (r - 1) - (l - old);
                    if (kl != null) kl[i][k] = (float) o.kl().estimator().estimate(l, o.refLogProbs()[i][k]);
                }
                tokens += len;
            }
            Map<String, Double> s = new LinkedHashMap<>();
            s.put("pg_loss", o.aggregation().aggregate(pg, o.budget()));
            double t = Math.max(tokens, 1);
            s.put("clip_frac", changed / t);
            s.put("clip_frac/low", low / t);
            s.put("clip_frac/high", high / t);
            if (o.dualClip() > 0) s.put("clip_frac/dual", dual / t);
            s.put("approx_kl", approxKl / t);
            s.put("entropy", tokenMean(rawEntropy));
            s.put("entropy_adjusted", tokenMean(entropy));
            if (kl != null) s.put("kl", o.aggregation().aggregate(kl, o.budget()));
            return s;
        }
    }

    // ------------------------------------------------------------------ value

    /**
     * The clipped value loss of {@link ValueObjective}:
     * {@code 0.5 max((v - R)^2, (old + clip(v - old, -c, c) - R)^2)}, aggregated. Statistics:
     * {@code vf_clip_frac} (fraction of tokens where the clipped term is the larger) and
     * {@code value_mean} (token mean of the values).
     */
    static final class Value extends ObjectiveLoss {
        private final ValueObjective o;
        private final double[] weights;
        private final float[][] values;

        Value(ValueObjective o) {
            super(o.sequences());
            this.o = o;
            this.weights = tokenWeights(o.sequences(), o.aggregation(), o.budget());
            this.values = new float[o.sequences().size()][];
        }

        @Override
        boolean usesValues() {
            return true;
        }

        @Override
        NDArray loss(Batches.MicroBatch mb, NDArray logp, NDArray entropy, NDArray v, NDManager m) {
            NDArray ret = mb.matrix(m, mb.perToken(o.returns()));
            NDArray loss = v.sub(ret).square();
            if (o.valueClip() > 0) {
                NDArray old = mb.matrix(m, mb.perToken(o.oldValues()));
                NDArray clipped = old.add(v.sub(old).clip((float) -o.valueClip(), (float) o.valueClip())).sub(ret).square();
                loss = NDArrays.maximum(loss, clipped);
            }
            return loss.mul(mb.matrix(m, mb.perSequence(weights))).sum().mul(0.5f);
        }

        @Override
        void observe(Batches.MicroBatch mb, float[] logp, float[] entropy, float[] rawEntropy, float[] v) {
            scatter(mb, v, values);
        }

        @Override
        Map<String, Double> stats() {
            float[][] v = filled(values, sequences);
            long tokens = 0;
            long clipped = 0;
            for (int i = 0; i < v.length; i++) {
                for (int k = 0; k < v[i].length; k++) {
                    double value = v[i][k];
                    double ret = o.returns()[i][k];
                    double old = o.oldValues()[i][k];
                    if (o.valueClip() > 0) {
                        double vc = old + Math.max(-o.valueClip(), Math.min(o.valueClip(), value - old));
                        if ((vc - ret) * (vc - ret) > (value - ret) * (value - ret)) clipped++;
                    }
                }
                tokens += v[i].length;
            }
            Map<String, Double> s = new LinkedHashMap<>();
            s.put("vf_clip_frac", tokens == 0 ? 0 : (double) clipped / tokens);
            s.put("value_mean", tokenMean(v));
            return s;
        }
    }

    // ------------------------------------------------------------------ implicit PRM

    /**
     * The loss of {@link ImplicitPrmObjective}: per sequence {@code z = beta sum_t (logp_t - refLogp_t)},
     * {@code loss = mean over sequences of softplus(z) - z y} (binary cross-entropy with logits).
     * Statistic {@code accuracy}: the fraction of sequences where {@code z > 0} agrees with
     * {@code y > 0.5}.
     */
    static final class ImplicitPrm extends ObjectiveLoss {
        private final ImplicitPrmObjective o;
        private final float[][] logp;

        ImplicitPrm(ImplicitPrmObjective o) {
            super(o.sequences());
            this.o = o;
            this.logp = new float[o.sequences().size()][];
        }

        @Override
        NDArray loss(Batches.MicroBatch mb, NDArray lp, NDArray entropy, NDArray values, NDManager m) {
            NDArray mask = mb.matrix(m, mb.perSequence(ones(sequences.size())));
            NDArray sum = lp.sub(mb.matrix(m, mb.perToken(o.refLogProbs()))).mul(mask).sum(new int[] {1});
            NDArray z = sum.mul((float) o.beta());
            float[] labels = new float[mb.rows];
            for (int r = 0; r < mb.rows; r++) labels[r] = o.outcomeLabels()[mb.indices[r]];
            NDArray y = m.create(labels, new Shape(mb.rows));
            return Ops.softplus(z).sub(z.mul(y)).sum().div((float) sequences.size());
        }

        @Override
        double constantLoss(Batches.MicroBatch mb) {
            double sum = 0;
            for (int r = 0; r < mb.rows; r++) sum += o.sequenceLoss(0, o.outcomeLabels()[mb.indices[r]]);
            return sum / sequences.size();
        }

        @Override
        void observe(Batches.MicroBatch mb, float[] lp, float[] entropy, float[] rawEntropy, float[] values) {
            scatter(mb, lp, logp);
        }

        @Override
        Map<String, Double> stats() {
            float[][] lp = filled(logp, sequences);
            int correct = 0;
            for (int i = 0; i < lp.length; i++) {
                double s = 0;
                for (int k = 0; k < lp[i].length; k++) s += lp[i][k] - o.refLogProbs()[i][k];
                boolean predicted = o.beta() * s > 0;
                if (predicted == (o.outcomeLabels()[i] > 0.5f)) correct++;
            }
            Map<String, Double> st = new LinkedHashMap<>();
            st.put("accuracy", lp.length == 0 ? 0 : (double) correct / lp.length);
            return st;
        }
    }

    private static double[] ones(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }
}
