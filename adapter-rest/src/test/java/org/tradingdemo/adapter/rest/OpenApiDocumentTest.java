package org.tradingdemo.adapter.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.ParsedEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document ({@code /openapi.json}) is valid enough to use, complete for the contract in
 * docs/HTTP-API-SPEC.md, and describes exactly the routes the API registers.
 */
class OpenApiDocumentTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "post", "put", "patch", "delete");
    private static final Set<String> SCOPES = Set.of("agent:create", "agent:terminate", "trade:submit",
            "oversight:approve", "read", "admin");
    /** The docs page's own script and style: served, but not part of the API. */
    private static final String DOCS_ASSETS = "/docs/";

    private static JsonNode doc;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream(OpsRoutes.OPENAPI_RESOURCE)) {
            assertNotNull(in, "openapi.json is on the class path");
            doc = new ObjectMapper().readTree(in);
        }
    }

    // ------------------------------------------------------------------ the document itself

    @Test
    void isOpenApi31WithInfoAndBearerAuth() {
        assertTrue(doc.path("openapi").asText().startsWith("3.1."), "openapi: " + doc.path("openapi"));
        assertFalse(doc.path("info").path("title").asText().isBlank());
        assertFalse(doc.path("info").path("version").asText().isBlank());
        JsonNode bearer = doc.path("components").path("securitySchemes").path("bearerAuth");
        assertEquals("http", bearer.path("type").asText());
        assertEquals("bearer", bearer.path("scheme").asText());
        assertEquals("JWT", bearer.path("bearerFormat").asText());
    }

    @Test
    void everyReferenceResolves() {
        List<String> broken = new ArrayList<>();
        walk(doc, "#", (node, where) -> {
            JsonNode ref = node.get("$ref");
            if (ref != null && resolve(ref.asText()) == null) {
                broken.add(where + " -> " + ref.asText());
            }
        });
        assertTrue(broken.isEmpty(), "unresolved $ref: " + broken);
    }

    @Test
    void everyOperationIsDescribed() {
        Set<String> ids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        operations((method, path, op) -> {
            String name = method.toUpperCase(Locale.ROOT) + " " + path;
            String id = op.path("operationId").asText();
            if (id.isBlank() || !ids.add(id)) {
                problems.add(name + ": missing or duplicate operationId '" + id + "'");
            }
            if (op.path("summary").asText().isBlank()) {
                problems.add(name + ": no summary");
            }
            if (!op.path("tags").isArray() || op.path("tags").isEmpty()) {
                problems.add(name + ": no tags");
            }
            if (!op.path("responses").isObject() || op.path("responses").isEmpty()) {
                problems.add(name + ": no responses");
            }
            Iterator<String> codes = op.path("responses").fieldNames();
            while (codes.hasNext()) {
                String code = codes.next();
                if (!code.matches("[1-5][0-9][0-9]")) {
                    problems.add(name + ": response key " + code);
                }
            }
            if (!op.has("security")) {
                problems.add(name + ": no security (use [] for a public operation)");
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void securedOperationsNameTheirScope() {
        List<String> problems = new ArrayList<>();
        operations((method, path, op) -> {
            String name = method.toUpperCase(Locale.ROOT) + " " + path;
            boolean isPublic = op.path("security").isArray() && op.path("security").isEmpty();
            String scope = op.path("x-required-scope").asText(null);
            if (isPublic) {
                if (scope != null) {
                    problems.add(name + ": public but x-required-scope " + scope);
                }
                return;
            }
            if (!op.path("security").path(0).has("bearerAuth")) {
                problems.add(name + ": secured operation without bearerAuth");
            }
            if (scope == null || !SCOPES.contains(scope)) {
                problems.add(name + ": x-required-scope missing or unknown: " + scope);
            } else if (!op.path("description").asText().contains(scope)) {
                problems.add(name + ": description does not mention the scope " + scope);
            }
            for (String code : List.of("401", "403")) {
                if (!op.path("responses").has(code)) {
                    problems.add(name + ": secured operation without a " + code + " response");
                }
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void errorResponsesAreProblemDocuments() {
        List<String> problems = new ArrayList<>();
        operations((method, path, op) -> op.path("responses").fields().forEachRemaining(e -> {
            int status = Integer.parseInt(e.getKey());
            if (status < 400) {
                return;
            }
            String name = method.toUpperCase(Locale.ROOT) + " " + path + " " + status;
            JsonNode response = deref(e.getValue());
            if (path.equals("/ready") && status == 503) {
                return; // readiness answers its own document, also when not ready
            }
            JsonNode media = response.path("content").path("application/problem+json");
            if (media.isMissingNode()) {
                problems.add(name + ": not application/problem+json");
            } else if (!refersTo(media.path("schema"), "#/components/schemas/Problem")) {
                problems.add(name + ": schema is not (based on) Problem");
            }
            if (!response.path("headers").has("X-Request-Id")) {
                problems.add(name + ": no X-Request-Id header");
            }
            if ((status == 429 || status == 503) && !response.path("headers").has("Retry-After")) {
                problems.add(name + ": no Retry-After header");
            }
        }));
        JsonNode problem = doc.path("components").path("schemas").path("Problem");
        for (String field : List.of("type", "title", "status", "detail", "code", "errors", "requestId", "instance")) {
            assertTrue(problem.path("properties").has(field), "Problem." + field);
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void successResponsesHaveAnExampleAndARequestId() {
        List<String> problems = new ArrayList<>();
        operations((method, path, op) -> op.path("responses").fields().forEachRemaining(e -> {
            if (!e.getKey().startsWith("2")) {
                return;
            }
            String name = method.toUpperCase(Locale.ROOT) + " " + path + " " + e.getKey();
            JsonNode response = deref(e.getValue());
            if (!response.path("headers").has("X-Request-Id")) {
                problems.add(name + ": no X-Request-Id header");
            }
            response.path("content").fields().forEachRemaining(m -> {
                if (!m.getValue().has("schema")) {
                    problems.add(name + " " + m.getKey() + ": no schema");
                }
                if (!m.getValue().has("example") && !m.getValue().has("examples")) {
                    problems.add(name + " " + m.getKey() + ": no example");
                }
            });
        }));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void requestBodiesAreClosedObjectsWithTheirRequiredFields() {
        List<String> problems = new ArrayList<>();
        operations((method, path, op) -> {
            if (!op.has("requestBody")) {
                return;
            }
            String name = method.toUpperCase(Locale.ROOT) + " " + path;
            JsonNode media = deref(op.path("requestBody")).path("content").path("application/json");
            if (media.isMissingNode()) {
                problems.add(name + ": request body is not application/json");
                return;
            }
            if (!media.has("example")) {
                problems.add(name + ": request body without an example");
            }
            JsonNode schema = deref(media.path("schema"));
            if (!"object".equals(schema.path("type").asText())) {
                problems.add(name + ": request body is not an object");
            }
            if (!schema.path("additionalProperties").isBoolean() || schema.path("additionalProperties").asBoolean()) {
                problems.add(name + ": request body must say additionalProperties: false");
            }
            if (!schema.path("required").isArray()) {
                problems.add(name + ": request body without a required list");
            }
            schema.path("required").forEach(r -> {
                if (!schema.path("properties").has(r.asText())) {
                    problems.add(name + ": required field " + r.asText() + " is not a property");
                }
            });
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void pathParametersAndQueryEnumsAreDeclared() {
        List<String> problems = new ArrayList<>();
        operations((method, path, op) -> {
            String name = method.toUpperCase(Locale.ROOT) + " " + path;
            Set<String> declared = new HashSet<>();
            for (JsonNode p : op.path("parameters")) {
                JsonNode param = deref(p);
                if ("path".equals(param.path("in").asText())) {
                    declared.add(param.path("name").asText());
                    if (!param.path("required").asBoolean()) {
                        problems.add(name + ": path parameter " + param.path("name").asText() + " not required");
                    }
                }
                if (("status".equals(param.path("name").asText()) || "period".equals(param.path("name").asText())
                        || "severity".equals(param.path("name").asText()))
                        && !param.path("schema").has("enum")) {
                    problems.add(name + ": query parameter " + param.path("name").asText() + " without its enum");
                }
            }
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
            Set<String> inPath = new HashSet<>();
            while (m.find()) {
                inPath.add(m.group(1));
            }
            if (!inPath.equals(declared)) {
                problems.add(name + ": path parameters " + inPath + " but declared " + declared);
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theResourceSchemasExist() {
        JsonNode schemas = doc.path("components").path("schemas");
        for (String name : List.of("Agent", "Trade", "OversightRequest", "Portfolio", "Usage", "Alert", "Problem")) {
            assertTrue(schemas.path(name).path("properties").isObject(), "schema " + name);
        }
        assertHasFields(schemas.path("Agent"), "id", "name", "type", "status", "config", "userId", "createdAt", "updatedAt");
        assertHasFields(schemas.path("Trade"), "id", "agentId", "clientOrderId", "symbol", "side", "quantity", "price",
                "type", "status", "amount", "submittedAt", "executedAt", "cancelledAt", "reason");
        assertHasFields(schemas.path("OversightRequest"), "id", "tradeId", "agentId", "reason", "riskLevel", "status",
                "createdAt", "expiresAt", "processedAt", "processedBy", "comment");
        assertHasFields(schemas.path("Portfolio"), "agentId", "cash", "reservedCash", "availableCash", "positions",
                "realizedPnL", "unrealizedPnL", "totalValue");
        assertHasFields(schemas.path("Usage"), "agentId", "period", "periodStart", "resetAt", "used", "limit",
                "remaining", "byType", "cost");
        assertHasFields(schemas.path("Alert"), "id", "severity", "type", "message", "agentId", "createdAt",
                "acknowledgedAt", "acknowledgedBy");
        for (String list : List.of("AgentList", "TradeList", "OversightRequestList", "AlertList")) {
            JsonNode s = schemas.path(list);
            assertEquals("array", s.path("properties").path("items").path("type").asText(), list + ".items");
            assertTrue(s.path("properties").path("items").path("items").has("$ref"), list + ".items[]");
            assertTrue(s.path("properties").has("nextCursor"), list + ".nextCursor");
        }
    }

    @Test
    void decimalsAreExactNumbers() {
        List<String> problems = new ArrayList<>();
        walk(doc.path("components").path("schemas"), "#/components/schemas", (node, where) -> {
            JsonNode type = node.get("type");
            boolean number = type != null && (type.asText().equals("number")
                    || type.isArray() && type.toString().contains("\"number\""));
            if (!number) {
                return;
            }
            if (node.has("format")) {
                problems.add(where + ": decimal with format " + node.get("format") + " (binary floating point)");
            }
            if (!node.path("description").asText().toLowerCase(Locale.ROOT).contains("exact decimal")) {
                problems.add(where + ": description must say it is an exact decimal");
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    // ------------------------------------------------------------------ the contract

    @Test
    void describesEveryOperationOfTheContractWithItsScope() throws IOException {
        Path spec = Path.of("..", "docs", "HTTP-API-SPEC.md");
        assertTrue(Files.exists(spec), "the contract is at " + spec.toAbsolutePath());
        Map<String, String> contract = new TreeMap<>();
        Pattern row = Pattern.compile("^\\|\\s*(GET|POST|PUT|PATCH|DELETE)\\s*\\|\\s*(\\S+)\\s*\\|\\s*([^|]+?)\\s*\\|");
        for (String line : Files.readAllLines(spec, StandardCharsets.UTF_8)) {
            Matcher m = row.matcher(line);
            if (m.find()) {
                contract.put(m.group(1) + " " + m.group(2), m.group(3));
            }
        }
        assertTrue(contract.size() >= 27, "read the contract's table: " + contract.keySet());

        Map<String, String> documented = new TreeMap<>();
        operations((method, path, op) -> documented.put(method.toUpperCase(Locale.ROOT) + " " + path,
                op.path("security").isEmpty() ? "public" : op.path("x-required-scope").asText()));

        assertEquals(new TreeSet<>(contract.keySet()), new TreeSet<>(documented.keySet()),
                difference("contract (docs/HTTP-API-SPEC.md)", contract.keySet(), "document", documented.keySet()));
        List<String> wrongScope = new ArrayList<>();
        contract.forEach((op, scope) -> {
            if (!scope.equals(documented.get(op))) {
                wrongScope.add(op + ": contract says " + scope + ", document says " + documented.get(op));
            }
        });
        assertTrue(wrongScope.isEmpty(), String.join("\n", wrongScope));
    }

    /**
     * The document and the server agree: every route the full API registers is documented and every
     * documented operation is a registered route. Fails, naming each side's extras, until they match.
     */
    @Test
    void matchesTheRoutesTheApiRegisters() {
        Javalin app = OpsTestSupport.fullApi(List.of(), OpsTestSupport.registry());
        Set<String> registered = new TreeSet<>();
        for (ParsedEndpoint parsed : app.unsafeConfig().pvt.internalRouter.allHttpHandlers()) {
            Endpoint endpoint = parsed.getEndpoint();
            HandlerType method = endpoint.getMethod();
            if (!method.isHttpMethod() || method == HandlerType.HEAD || method == HandlerType.OPTIONS
                    || endpoint.getPath().startsWith(DOCS_ASSETS)) {
                continue;
            }
            registered.add(method.name() + " " + normalise(endpoint.getPath()));
        }
        Set<String> documented = new TreeSet<>();
        operations((method, path, op) -> documented.add(method.toUpperCase(Locale.ROOT) + " " + normalise(path)));

        assertEquals(documented, registered, difference("document", documented, "server", registered));
    }

    // ------------------------------------------------------------------ helpers

    /** {@code /agents/{id}} and {@code /agents/<agentId>} compare equal. */
    private static String normalise(String path) {
        String p = path.replaceAll("\\{[^}]*}", "{}").replaceAll("<[^>]*>", "{}");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static String difference(String leftName, Set<String> left, String rightName, Set<String> right) {
        Set<String> onlyLeft = new TreeSet<>(left);
        onlyLeft.removeAll(right);
        Set<String> onlyRight = new TreeSet<>(right);
        onlyRight.removeAll(left);
        return "\nin the " + leftName + " but not the " + rightName + " (" + onlyLeft.size() + "):\n  "
                + String.join("\n  ", onlyLeft)
                + "\nin the " + rightName + " but not the " + leftName + " (" + onlyRight.size() + "):\n  "
                + String.join("\n  ", onlyRight) + "\n";
    }

    private interface OperationVisitor {
        void visit(String method, String path, JsonNode operation);
    }

    private static void operations(OperationVisitor visitor) {
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(o -> {
            if (HTTP_METHODS.contains(o.getKey())) {
                visitor.visit(o.getKey(), p.getKey(), o.getValue());
            }
        }));
    }

    private static void walk(JsonNode node, String where, BiConsumer<JsonNode, String> visit) {
        if (node.isObject()) {
            visit.accept(node, where);
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("example") && !e.getKey().equals("examples")) {
                    walk(e.getValue(), where + "/" + e.getKey(), visit);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), where + "/" + i, visit);
            }
        }
    }

    private static JsonNode resolve(String ref) {
        if (!ref.startsWith("#/")) {
            return null;
        }
        JsonNode node = doc.at(ref.substring(1));
        return node.isMissingNode() ? null : node;
    }

    private static JsonNode deref(JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            current = resolve(current.get("$ref").asText());
            if (current == null) {
                fail("unresolved " + node);
            }
        }
        return current;
    }

    /** The schema is the target, or composes it (allOf / anyOf / oneOf, possibly through other refs). */
    private static boolean refersTo(JsonNode schema, String target) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            return ref.equals(target) || refersTo(deref(schema), target);
        }
        for (String key : List.of("allOf", "anyOf", "oneOf")) {
            for (JsonNode part : schema.path(key)) {
                if (refersTo(part, target)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void assertHasFields(JsonNode schema, String... fields) {
        for (String f : fields) {
            assertTrue(schema.path("properties").has(f), "missing field " + f);
        }
    }
}
