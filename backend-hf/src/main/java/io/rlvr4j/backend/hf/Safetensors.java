package io.rlvr4j.backend.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.rlvr4j.api.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header naming
 * each tensor's {@code dtype}, {@code shape} and {@code data_offsets}, then the raw little-endian data.
 *
 * <p>Reading uses positional {@link FileChannel} reads, so files and shards over 2 GB work (one
 * tensor must stay under 2 GB). F32, F16, BF16 and F64 are read and converted to float32 in Java:
 * the CPU build of PyTorch aborts the JVM on BF16 arrays. Writing produces F32 only.
 */
public final class Safetensors {

    /** The single-file checkpoint name. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** The index of a sharded checkpoint. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private Safetensors() {
    }

    /** Receives each tensor read. */
    @FunctionalInterface
    public interface TensorSink {
        /**
         * @param name the tensor's name
         * @param shape its dimensions
         * @param data {@code product(shape)} float32 values in a fresh direct buffer of native byte
         *     order, positioned at 0; the receiver may keep it
         */
        void accept(String name, long[] shape, ByteBuffer data);
    }

    /** A tensor to write: float32 values in native byte order. */
    public record Source(String name, long[] shape, ByteBuffer data) {
    }

    /** {@return whether {@code modelDir} holds weights: {@value #SINGLE_FILE} or {@value #INDEX_FILE}} */
    public static boolean isCheckpoint(Path modelDir) {
        return Files.isRegularFile(modelDir.resolve(SINGLE_FILE)) || Files.isRegularFile(modelDir.resolve(INDEX_FILE));
    }

    /**
     * Reads every tensor of the checkpoint in {@code modelDir}: {@value #SINGLE_FILE}, or the shards
     * listed by {@value #INDEX_FILE}.
     *
     * @throws ConfigException when neither exists or a file is malformed
     */
    public static void readCheckpoint(Path modelDir, TensorSink sink) {
        Path single = modelDir.resolve(SINGLE_FILE);
        Path index = modelDir.resolve(INDEX_FILE);
        if (Files.isRegularFile(single)) {
            read(single, sink);
        } else if (Files.isRegularFile(index)) {
            JsonObject o = JsonFiles.readObject(index);
            if (!o.has("weight_map") || !o.get("weight_map").isJsonObject()) {
                throw JsonFiles.missing(index, "weight_map", "an object from tensor names to shard files");
            }
            Set<String> shards = new LinkedHashSet<>();
            for (Map.Entry<String, JsonElement> e : o.getAsJsonObject("weight_map").entrySet()) shards.add(e.getValue().getAsString());
            for (String shard : shards) {
                Path file = modelDir.resolve(shard).normalize();
                if (!file.startsWith(modelDir.normalize())) throw new ConfigException("", index + ": shard " + shard + " is outside the model directory");
                if (!Files.isRegularFile(file)) throw new ConfigException("", index + " lists shard " + shard + ", which is missing");
                read(file, sink);
            }
        } else {
            throw new ConfigException("", modelDir + " has no weights: expected " + SINGLE_FILE + " or " + INDEX_FILE
                    + " (or open the policy with init RANDOM)");
        }
    }

    /** Reads every tensor of one safetensors file. */
    public static void read(Path file, TensorSink sink) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0, file);
            long headerLength = len.getLong(0);
            if (headerLength <= 0 || headerLength > 100_000_000 || 8 + headerLength > size) {
                throw malformed(file, "header length " + headerLength + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(ch, header, 8, file);
            JsonObject h;
            try {
                h = JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8)).getAsJsonObject();
            } catch (JsonParseException | IllegalStateException e) {
                throw malformed(file, "the header is not a JSON object: " + e.getMessage());
            }
            long dataStart = 8 + headerLength;
            for (Map.Entry<String, JsonElement> e : h.entrySet()) {
                if (e.getKey().equals("__metadata__")) continue;
                JsonObject t = e.getValue().getAsJsonObject();
                String dtype = t.get("dtype").getAsString();
                JsonArray shapeJson = t.getAsJsonArray("shape");
                long[] shape = new long[shapeJson.size()];
                long count = 1;
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsLong();
                    count *= shape[i];
                }
                JsonArray offsets = t.getAsJsonArray("data_offsets");
                long begin = offsets.get(0).getAsLong();
                long end = offsets.get(1).getAsLong();
                int width = switch (dtype) {
                    case "F32" -> 4;
                    case "F16", "BF16" -> 2;
                    case "F64" -> 8;
                    default -> throw malformed(file, "tensor " + e.getKey() + " has dtype " + dtype + "; only F32, F16, BF16 and F64 are supported");
                };
                if (end - begin != count * width || dataStart + end > size || begin < 0) {
                    throw malformed(file, "tensor " + e.getKey() + " has offsets [" + begin + ", " + end + ") that do not fit shape "
                            + shapeJson + " of " + dtype);
                }
                if (count * 4 > Integer.MAX_VALUE) throw malformed(file, "tensor " + e.getKey() + " is over 2 GB as float32");
                sink.accept(e.getKey(), shape, readAsFloat32(ch, file, dataStart + begin, (int) count, dtype, width));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static ByteBuffer readAsFloat32(FileChannel ch, Path file, long position, int count, String dtype, int width) throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
        if (dtype.equals("F32") && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            readFully(ch, out, position, file);
            return out.clear();
        }
        // read in chunks and convert
        int chunkValues = 1 << 20;
        ByteBuffer raw = ByteBuffer.allocate(Math.min(count, chunkValues) * width).order(ByteOrder.LITTLE_ENDIAN);
        int done = 0;
        while (done < count) {
            int n = Math.min(chunkValues, count - done);
            raw.clear().limit(n * width);
            readFully(ch, raw, position + (long) done * width, file);
            raw.flip();
            for (int i = 0; i < n; i++) {
                float v = switch (dtype) {
                    case "F32" -> raw.getFloat();
                    case "F16" -> Float.float16ToFloat(raw.getShort());
                    case "BF16" -> Float.intBitsToFloat((raw.getShort() & 0xffff) << 16);
                    case "F64" -> (float) raw.getDouble();
                    default -> throw new IllegalStateException(dtype);
                };
                out.putFloat(v);
            }
            done += n;
        }
        return out.clear();
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long position, Path file) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) throw malformed(file, "unexpected end of file at byte " + pos);
            pos += n;
        }
    }

    private static ConfigException malformed(Path file, String why) {
        return new ConfigException("", file + " is not a valid safetensors file: " + why);
    }

    /**
     * Writes {@code tensors} as one F32 safetensors file, in the order given. The file appears
     * complete or not at all (written to a temporary file beside it, then moved).
     */
    public static void write(Path file, List<Source> tensors) {
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("format", "pt");
        header.add("__metadata__", meta);
        long offset = 0;
        for (Source s : tensors) {
            JsonObject t = new JsonObject();
            t.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : s.shape()) shape.add(d);
            t.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += s.data().remaining();
            offsets.add(offset);
            t.add("data_offsets", offsets);
            header.add(s.name(), t);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        AtomicFiles.write(file, ch -> {
            writeFully(ch, head);
            for (Source s : tensors) {
                ByteBuffer data = s.data().duplicate().order(ByteOrder.nativeOrder());
                if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
                    writeFully(ch, data);
                } else {
                    ByteBuffer le = ByteBuffer.allocate(data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
                    while (data.hasRemaining()) le.putFloat(data.getFloat());
                    writeFully(ch, le.flip());
                }
            }
        });
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) ch.write(b);
    }
}
