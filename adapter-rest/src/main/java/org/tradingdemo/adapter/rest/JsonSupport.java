package org.tradingdemo.adapter.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.servlet.MaxRequestSize;
import io.javalin.json.JavalinJackson;
import org.tradingdemo.app.port.in.FieldError;

/**
 * JSON on the wire: camelCase, decimals as JSON numbers straight from {@link BigDecimal} (never
 * through a double, so 0.1 + 0.2 stays 0.3), ISO-8601 UTC instants, nulls shown. Request bodies are
 * read into records strictly: unknown fields, wrong types and malformed JSON are 400s that name
 * every offending field at once.
 */
public final class JsonSupport {

    /** The largest |scale| a decimal in a request body may have; far beyond any money, price or quantity. */
    static final int MAX_DECIMAL_EXPONENT = 32;

    /**
     * The fields of a request record, name to type, in declaration order: looked up once per record
     * class ({@link Class#getRecordComponents} copies its reflection data on every call).
     */
    private static final ClassValue<Map<String, Class<?>>> FIELDS = new ClassValue<>() {
        @Override
        protected Map<String, Class<?>> computeValue(Class<?> type) {
            Map<String, Class<?>> fields = new LinkedHashMap<>();
            for (RecordComponent c : type.getRecordComponents()) {
                fields.put(c.getName(), c.getType());
            }
            return Collections.unmodifiableMap(fields);
        }
    };

    private static final String BODY = "jsonSupport.body";

    private JsonSupport() {
    }

    public static ObjectMapper mapper() {
        // read limits live on the factory (JsonMapper.Builder has no streamReadConstraints in Jackson 2.x)
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(40).maxNestingDepth(32)
                        .maxStringLength(64 * 1024).build())
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .serializationInclusion(JsonInclude.Include.ALWAYS)
                .build();
    }

    /** A decimal as it should read on the wire: no trailing zeros, no exponent (1500.00 → 1500). */
    public static BigDecimal plain(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /**
     * Reads the body into a record. Requires {@code Content-Type: application/json}; every unknown
     * field and every field of the wrong JSON type is reported in one 400.
     */
    public static <T extends Record> T read(Context ctx, ObjectMapper mapper, Class<T> type) {
        String contentType = ctx.contentType();
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            throw ApiError.of(415, "unsupported_media_type", "Unsupported Media Type",
                    "the request body must be JSON with Content-Type: application/json");
        }
        byte[] body = bodyBytes(ctx);
        if (isBlank(body)) {
            throw ApiError.badRequest("malformed_json", "the request body is empty; a JSON object is required", List.of());
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("malformed_json", "the request body is not valid JSON: "
                    + e.getOriginalMessage().replaceAll("[\\r\\n]+", " "), List.of());
        } catch (IOException e) {
            throw ApiError.badRequest("malformed_json", "the request body could not be read", List.of());
        }
        if (tree == null || !tree.isObject()) {
            throw ApiError.badRequest("malformed_json", "the request body must be a JSON object", List.of());
        }
        List<FieldError> errors = new ArrayList<>();
        Map<String, Class<?>> fields = FIELDS.get(type);
        fields.forEach((name, fieldType) -> {
            JsonNode value = tree.get(name);
            if (value != null && !value.isNull()) {
                typeProblem(fieldType, value).ifPresent(problem -> errors.add(new FieldError(name, problem)));
            }
        });
        for (Iterator<String> names = tree.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.containsKey(name)) {
                errors.add(new FieldError(name, "unknown field"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiError.validation(errors);
        }
        try {
            return mapper.treeToValue(tree, type);
        } catch (IOException e) {
            throw ApiError.badRequest("malformed_json", "the request body could not be read", List.of());
        }
    }

    /**
     * The raw request body, read once per request and kept on the context. Javalin's own
     * {@code ctx.body()} copies through two fresh 8 KiB buffers per request; this reads exactly
     * {@code Content-Length} bytes (or, without one, at most the configured maximum, then 413), after
     * the same {@code maxRequestSize} check Javalin makes. Use this, not {@code ctx.body()}, in routes.
     */
    static byte[] bodyBytes(Context ctx) {
        byte[] cached = ctx.attribute(BODY);
        if (cached != null) {
            return cached;
        }
        MaxRequestSize.INSTANCE.throwContentTooLargeIfContentTooLarge(ctx);
        long max = ctx.appData(MaxRequestSize.INSTANCE.getMaxRequestSizeKey());
        long length = ctx.req().getContentLengthLong();
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            if (length >= 0) {
                bytes = in.readNBytes((int) length);
            } else {
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
                if (bytes.length > max) {
                    throw new ContentTooLargeResponse();
                }
            }
        } catch (IOException e) {
            throw ApiError.badRequest("malformed_json", "the request body could not be read", List.of());
        }
        ctx.attribute(BODY, bytes);
        return bytes;
    }

    /** Whether a body is empty or only JSON whitespace. */
    static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes {@code body} as the JSON response, straight into the response stream. {@code ctx.json}
     * would hand Javalin a result stream that it copies through a fresh 32 KiB buffer per request;
     * this writes the few hundred bytes of a typical answer directly (still through Javalin's
     * compression-aware output stream). Call it last in a handler: nothing may be written after it.
     */
    public static void respond(Context ctx, Object body) {
        if (!(ctx.jsonMapper() instanceof JavalinJackson jackson)) {
            ctx.json(body);
            return;
        }
        byte[] bytes;
        try {
            bytes = jackson.getMapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response body could not be written as JSON", e);
        }
        ctx.contentType(ContentType.APPLICATION_JSON);
        try {
            ctx.outputStream().write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the response", e);
        }
    }

    /** What is wrong with {@code value} as a {@code type}, if anything. */
    private static Optional<String> typeProblem(Class<?> type, JsonNode value) {
        if (type == String.class) {
            return problemUnless(value.isTextual(), "must be a string");
        }
        if (type == BigDecimal.class) {
            if (!value.isNumber()) {
                return Optional.of("must be a number");
            }
            // 1e999999999 is 11 characters but a billion digits once printed: refuse absurd exponents
            return problemUnless(Math.abs((long) value.decimalValue().scale()) <= MAX_DECIMAL_EXPONENT, "is out of range");
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return problemUnless(value.isIntegralNumber() && value.canConvertToLong(), "must be a whole number");
        }
        if (type == Boolean.class || type == boolean.class) {
            return problemUnless(value.isBoolean(), "must be true or false");
        }
        return Optional.empty();
    }

    private static Optional<String> problemUnless(boolean ok, String problem) {
        return ok ? Optional.empty() : Optional.of(problem);
    }

}
