package io.rlvr4j.api.objective;

/**
 * How a per-token loss matrix becomes one number (verl {@code agg_loss}). The choice changes how
 * long and short responses are weighted:
 * <ul>
 *   <li>{@link #TOKEN_MEAN}: mean over all response tokens of the batch (DAPO); every token counts the same.
 *   <li>{@link #SEQ_MEAN_TOKEN_SUM}: sum over each sequence's tokens, mean over sequences.
 *   <li>{@link #SEQ_MEAN_TOKEN_MEAN}: mean over each sequence's tokens, mean over sequences (GRPO as
 *       published); long responses' tokens weigh less.
 *   <li>{@link #SEQ_MEAN_TOKEN_SUM_NORM}: sum over each sequence's tokens divided by a constant
 *       (the generation budget), mean over sequences (Dr. GRPO, Liu et al. 2025, arXiv:2503.20783);
 *       no length bias.
 * </ul>
 */
public enum LossAggregation {
    TOKEN_MEAN, SEQ_MEAN_TOKEN_SUM, SEQ_MEAN_TOKEN_MEAN, SEQ_MEAN_TOKEN_SUM_NORM;

    /**
     * The reference implementation, which backends must match.
     *
     * @param loss one row per sequence, one entry per response token
     * @param budget the constant of {@link #SEQ_MEAN_TOKEN_SUM_NORM} (ignored by the others)
     * @return the aggregated loss; 0 when there are no tokens
     */
    public double aggregate(float[][] loss, int budget) {
        if (loss.length == 0) return 0;
        double total = 0;
        long tokens = 0;
        for (float[] row : loss) {
            double sum = 0;
            for (float v : row) sum += v;
            tokens += row.length;
            total += switch (this) {
                case TOKEN_MEAN, SEQ_MEAN_TOKEN_SUM -> sum;
                case SEQ_MEAN_TOKEN_MEAN -> row.length == 0 ? 0 : sum / row.length;
                case SEQ_MEAN_TOKEN_SUM_NORM -> sum / budget;
            };
        }
        return switch (this) {
            case TOKEN_MEAN -> tokens == 0 ? 0 : total / tokens;
            case SEQ_MEAN_TOKEN_SUM, SEQ_MEAN_TOKEN_MEAN, SEQ_MEAN_TOKEN_SUM_NORM -> total / loss.length;
        };
    }
}
