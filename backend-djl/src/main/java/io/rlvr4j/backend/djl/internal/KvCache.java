package io.rlvr4j.backend.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for a batch of sequences being decoded: per layer two
 * preallocated arrays {@code [rows, kv_heads, capacity, head_dim]}, written in place slot by slot
 * and read as views, so a decoding step copies nothing but the new token's keys and values.
 *
 * <p>The arrays live outside any {@link NDScope}: the cache is closed explicitly.
 */
final class KvCache implements AutoCloseable {

    private final NDArray[] keys;
    private final NDArray[] values;
    private final int capacity;
    private long rows;

    KvCache(NDManager manager, int layers, long rows, int kvHeads, int capacity, int headDim) {
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.capacity = capacity;
        this.rows = rows;
        Shape shape = new Shape(rows, kvHeads, capacity, headDim);
        for (int l = 0; l < layers; l++) {
            keys[l] = manager.zeros(shape);
            values[l] = manager.zeros(shape);
            NDScope.unregister(keys[l], values[l]);
        }
    }

    /** {@return the number of slots per row} */
    int capacity() {
        return capacity;
    }

    /** {@return the number of rows} */
    long rows() {
        return rows;
    }

    /** Writes keys and values {@code [rows, kv_heads, t, head_dim]} of layer {@code layer} at slots {@code [start, start + t)}. */
    void write(int layer, NDArray k, NDArray v, int start) {
        long[] s = k.getShape().getShape();
        if (start + s[2] > capacity) throw new IllegalStateException("KV cache overflow: " + (start + s[2]) + " > " + capacity);
        long[] min = {0, 0, start, 0};
        long[] max = {s[0], s[1], start + s[2], s[3]};
        Ops.put(keys[layer], k, min, max);
        Ops.put(values[layer], v, min, max);
    }

    /** {@return a view of the keys of slots {@code [0, length)} of layer {@code layer}} */
    NDArray keys(int layer, long length) {
        return view(keys[layer], length);
    }

    /** {@return a view of the values of slots {@code [0, length)} of layer {@code layer}} */
    NDArray values(int layer, long length) {
        return view(values[layer], length);
    }

    private static NDArray view(NDArray a, long length) {
        long[] s = a.getShape().getShape();
        return Ops.slice(a, new long[] {0, 0, 0, 0}, new long[] {s[0], s[1], length, s[3]});
    }

    /** Keeps only the rows {@code keep} (int64 indices, in this order), freeing the others. */
    void select(NDArray keep) {
        for (int l = 0; l < keys.length; l++) {
            keys[l] = replace(keys[l], keep);
            values[l] = replace(values[l], keep);
        }
        rows = keep.getShape().get(0);
    }

    private static NDArray replace(NDArray old, NDArray keep) {
        NDArray kept = old.get(new NDIndex("{}", keep));
        NDScope.unregister(kept);
        old.close();
        return kept;
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            keys[l].close();
            values[l].close();
        }
    }
}
