/**
 * Data sources of rlvr4j.
 *
 * <ul>
 *   <li>{@code jsonl}: problems from a JSON-Lines file, one object per line, shuffled per epoch with a seed.
 *   <li>{@code arithmetic}: an endless, seeded generator of multi-step integer arithmetic problems with
 *       worked solutions, with disjoint train and eval splits; for SFT warm-up and RL of tiny models.
 *   <li>{@code code_tasks}: an endless, seeded generator of small programming tasks on a line of integers,
 *       with stdin/stdout tests and Python solutions, train and eval splits; for offline code RL.
 * </ul>
 *
 * @provides io.rlvr4j.api.DataSource selected in configuration by {@code data.train.source: jsonl},
 *     {@code arithmetic} or {@code code_tasks}
 */
module io.rlvr4j.data {
    requires io.rlvr4j.api;
    requires com.fasterxml.jackson.databind;

    // the row presets and field mapping, shared with the Parquet source only
    exports io.rlvr4j.data.internal to io.rlvr4j.data.parquet;

    provides io.rlvr4j.api.DataSource with
            io.rlvr4j.data.internal.JsonlDataSource,
            io.rlvr4j.data.internal.ArithmeticDataSource,
            io.rlvr4j.data.internal.ProgrammingTaskDataSource;
}
