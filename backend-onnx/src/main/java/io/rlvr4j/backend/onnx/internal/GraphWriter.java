package io.rlvr4j.backend.onnx.internal;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A small writer of ONNX graphs over the protobuf classes: nodes with fresh output names, constant
 * initializers embedded in the model, and weight initializers that only declare their shape — their
 * values are supplied when the session is created ({@code SessionOptions.addExternalInitializers}),
 * so the model bytes stay small and new weights never rebuild the graph.
 */
final class GraphWriter {

    /** The default-domain opset the graph is written for. */
    static final int OPSET = 17;

    /** ONNX Runtime's contributed operators (version 1 of the domain). */
    static final String CONTRIB_DOMAIN = "com.microsoft";

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private int next;

    GraphWriter(String name) {
        graph.setName(name);
    }

    /** Adds a node of {@code op} on {@code inputs}; {@return its single output's name} */
    String op(String op, List<String> inputs, OnnxMl.AttributeProto... attributes) {
        String out = op.toLowerCase(java.util.Locale.ROOT) + "_" + next++;
        node(op, inputs, List.of(out), attributes);
        return out;
    }

    /** Adds a node with named outputs. */
    void node(String op, List<String> inputs, List<String> outputs, OnnxMl.AttributeProto... attributes) {
        node("", op, inputs, outputs, attributes);
    }

    /**
     * Adds a node of ONNX Runtime's own operator set ({@code com.microsoft}) with named outputs; an
     * empty input name leaves an optional input out.
     */
    void contribNode(String op, List<String> inputs, List<String> outputs, OnnxMl.AttributeProto... attributes) {
        node(CONTRIB_DOMAIN, op, inputs, outputs, attributes);
    }

    private void node(String domain, String op, List<String> inputs, List<String> outputs, OnnxMl.AttributeProto... attributes) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setDomain(domain).setOpType(op).setName(op + "_" + next++)
                .addAllInput(inputs).addAllOutput(outputs);
        for (OnnxMl.AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
    }

    /** Adds a node whose output gets the name {@code output} (a graph output, say). */
    void opInto(String output, String op, List<String> inputs, OnnxMl.AttributeProto... attributes) {
        node(op, inputs, List.of(output), attributes);
    }

    static OnnxMl.AttributeProto ints(String name, long... values) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long v : values) a.addInts(v);
        return a.build();
    }

    static OnnxMl.AttributeProto integer(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** {@return the name of an embedded int64 constant of shape {@code [values.length]}} */
    String int64s(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) b.putLong(v);
        return constant(OnnxMl.TensorProto.DataType.INT64, b, values.length);
    }

    /** {@return the name of an embedded int64 scalar} */
    String int64Scalar(long value) {
        return constant(OnnxMl.TensorProto.DataType.INT64, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value));
    }

    /** {@return the name of an embedded float32 constant of {@code shape}} */
    String floats(float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) b.putFloat(v);
        return constant(OnnxMl.TensorProto.DataType.FLOAT, b, shape);
    }

    /** {@return the name of an embedded float32 scalar} */
    String floatScalar(float value) {
        return constant(OnnxMl.TensorProto.DataType.FLOAT, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value));
    }

    /** Embeds a constant of {@code type} and {@code dims} (none: a scalar) whose little-endian bytes fill {@code raw}. */
    private String constant(OnnxMl.TensorProto.DataType type, ByteBuffer raw, long... dims) {
        String name = "const_" + next++;
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(raw.array()));
        for (long d : dims) t.addDims(d);
        graph.addInitializer(t);
        return name;
    }

    /**
     * Declares a float32 weight of {@code shape} whose values the session receives at creation
     * ({@code SessionOptions.addExternalInitializers}): the model marks its data external, at a
     * location that is never read, so the model bytes carry names, types and shapes only.
     */
    void weight(String name, long... shape) {
        long count = 1;
        for (long d : shape) count *= d;
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                .setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", "weights.bin"))
                .addExternalData(entry("offset", "0"))
                .addExternalData(entry("length", Long.toString(4 * count)));
        for (long d : shape) t.addDims(d);
        graph.addInitializer(t);
    }

    private static OnnxMl.StringStringEntryProto entry(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** Declares a graph input of element {@code type}; a dimension is a number or a symbolic name. */
    void input(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
    }

    /** Declares a graph output. */
    void output(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, OnnxMl.TensorProto.DataType type, Object... dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Number n) dim.setDimValue(n.longValue());
            else dim.setDimParam(d.toString());
            shape.addDim(dim);
        }
        OnnxMl.TypeProto.Tensor.Builder tensor = OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape);
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    /** {@return the serialised model} */
    byte[] model() {
        return OnnxMl.ModelProto.newBuilder().setIrVersion(8).setProducerName("rlvr4j")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(CONTRIB_DOMAIN).setVersion(1))
                .setGraph(graph).build().toByteArray();
    }
}
