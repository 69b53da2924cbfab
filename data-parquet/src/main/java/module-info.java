/**
 * Parquet data of rlvr4j: {@code parquet}, problems from a Parquet file, its rows read as the
 * {@code jsonl} source reads a JSON line (every preset and field mapping of the {@code data} module).
 *
 * @provides io.rlvr4j.api.DataSource selected in configuration by {@code data.train.source: parquet}
 */
module io.rlvr4j.data.parquet {
    requires io.rlvr4j.api;
    requires io.rlvr4j.data;
    requires java.sql;
    requires duckdb.jdbc;
    requires com.fasterxml.jackson.databind;

    provides io.rlvr4j.api.DataSource with io.rlvr4j.data.parquet.internal.ParquetDataSource;
}
