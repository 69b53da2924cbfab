package io.rlvr4j.data.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON values as the plain Java rows {@link RowMapper} reads. */
public final class JsonRows {

    private JsonRows() {}

    /**
     * {@return {@code n} as plain Java}: strings, booleans, integers as Integer/Long/BigInteger, other
     * numbers as BigDecimal (so an answer {@code 0.50} keeps its digits), lists and maps (unmodifiable,
     * nested nulls kept)
     */
    public static Map<String, Object> toJava(JsonNode object) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) map.put(e.getKey(), value(e.getValue()));
        return Collections.unmodifiableMap(map);
    }

    private static Object value(JsonNode n) {
        if (n.isTextual()) return n.textValue();
        if (n.isBoolean()) return n.booleanValue();
        if (n.isIntegralNumber()) return n.numberValue();
        if (n.isNumber()) return n.decimalValue();
        if (n.isNull() || n.isMissingNode()) return null;
        if (n.isArray()) {
            List<Object> list = new ArrayList<>(n.size());
            for (JsonNode e : n) list.add(value(e));
            return Collections.unmodifiableList(list);
        }
        return toJava(n);
    }
}
