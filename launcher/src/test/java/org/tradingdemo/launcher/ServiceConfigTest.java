package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tradingdemo.domain.model.Role;

class ServiceConfigTest {

    @TempDir
    Path tmp;

    @Test
    void defaults() {
        ServiceConfig c = ServiceConfig.defaults();
        assertEquals(8080, c.port());
        assertEquals("127.0.0.1", c.host());
        assertEquals(Path.of("./data/trading.db"), c.dbPath());
        assertEquals(Path.of("data").toAbsolutePath(), c.dataDir());
        assertTrue(c.jwtSecret().isEmpty());
        assertEquals(new BigDecimal("50000"), c.approvalThresholdUsd());
        assertEquals(Duration.ofMinutes(15), c.approvalTtl());
        assertEquals(ServiceConfig.LogFormat.TEXT, c.logFormat());
        assertEquals(List.of(), c.corsOrigins());
        assertEquals(1000, c.rateLimitUserPerHour());
        assertEquals(100, c.rateLimitAgentPerMinute());
        assertTrue(c.demoPasswords().isEmpty());
        assertEquals(ServiceConfig.StoreKind.SQLITE, c.store());
        assertEquals(ServiceConfig.SqliteSync.NORMAL, c.sqliteSynchronous());
        assertTrue(c.meteringGrpcUrl().isEmpty(), "metering: the embedded reference server by default");
        assertTrue(c.oversightGrpcUrl().isEmpty(), "oversight: the embedded reference server by default");
        assertEquals(Duration.ofSeconds(1), c.expiryCheckInterval());
        assertEquals(Duration.ofSeconds(10), c.shutdownTimeout());
    }

    @Test
    void everySettingFromTheEnvironment() {
        ServiceConfig c = ServiceConfig.parse(Map.ofEntries(
                Map.entry("PORT", "9090"), Map.entry("HOST", "0.0.0.0"), Map.entry("DB_PATH", "/var/lib/td/x.db"),
                Map.entry("JWT_SECRET", "k".repeat(32)), Map.entry("APPROVAL_THRESHOLD_USD", "12345.50"),
                Map.entry("APPROVAL_TTL", "PT2H"), Map.entry("LOG_FORMAT", "json"),
                Map.entry("CORS_ORIGINS", "https://a.example.com, http://localhost:3000"),
                Map.entry("RATE_LIMIT_USER_PER_HOUR", "50"), Map.entry("RATE_LIMIT_AGENT_PER_MINUTE", "7"),
                Map.entry("DEMO_PASSWORD_ADMIN", "admin-pass"), Map.entry("DEMO_PASSWORD_VIEWER", " spaced pass "),
                Map.entry("STORE", "memory"), Map.entry("EXPIRY_CHECK_INTERVAL", "PT0.25S"),
                Map.entry("SHUTDOWN_TIMEOUT", "PT0S"), Map.entry("UNRELATED", "ignored")), List.of());
        assertEquals(9090, c.port());
        assertEquals("0.0.0.0", c.host());
        assertEquals(Path.of("/var/lib/td"), c.dataDir());
        assertEquals("k".repeat(32), c.jwtSecret().orElseThrow().reveal());
        assertEquals(new BigDecimal("12345.5"), c.approvalThresholdUsd());
        assertEquals(Duration.ofHours(2), c.approvalTtl());
        assertEquals(ServiceConfig.LogFormat.JSON, c.logFormat());
        assertEquals(List.of("https://a.example.com", "http://localhost:3000"), c.corsOrigins());
        assertEquals(50, c.rateLimitUserPerHour());
        assertEquals(7, c.rateLimitAgentPerMinute());
        assertEquals("admin-pass", c.demoPassword(Role.ADMIN).orElseThrow().reveal());
        assertEquals(" spaced pass ", c.demoPassword(Role.VIEWER).orElseThrow().reveal(), "secrets are taken as given");
        assertTrue(c.demoPassword(Role.TRADER).isEmpty());
        assertEquals(Duration.ofMillis(250), c.expiryCheckInterval());
        assertEquals(Duration.ZERO, c.shutdownTimeout());
    }

    @Test
    void flagsWinOverTheEnvironmentInBothSpellings() {
        ServiceConfig c = ServiceConfig.parse(Map.of("PORT", "9090", "APPROVAL_TTL", "PT1H", "LOG_FORMAT", "json"),
                List.of("--port", "7070", "--approval-ttl=PT5M", "--log-format="));
        assertEquals(7070, c.port());
        assertEquals(Duration.ofMinutes(5), c.approvalTtl());
        assertEquals(ServiceConfig.LogFormat.TEXT, c.logFormat(), "an empty value is unset: back to the default");
        assertEquals(8080, ServiceConfig.parse(Map.of("PORT", "  "), List.of()).port(), "blank env is unset");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("PORT", "http", "PORT must be a whole number from 0 to 65535 (0 picks a free port), got \"http\""),
                Arguments.of("PORT", "65536", "PORT must be a whole number from 0 to 65535 (0 picks a free port), got \"65536\""),
                Arguments.of("PORT", "-1", "PORT must be a whole number from 0 to 65535 (0 picks a free port), got \"-1\""),
                Arguments.of("HOST", "my host", "HOST must be a host name or IP address such as 127.0.0.1 or 0.0.0.0, got \"my host\""),
                Arguments.of("DB_PATH", "bad\u0000path", "DB_PATH must be a file path such as ./data/trading.db, got \"bad?path\""),
                Arguments.of("APPROVAL_THRESHOLD_USD", "fifty", "APPROVAL_THRESHOLD_USD must be a positive USD amount with at most 2 decimals such as 50000, got \"fifty\""),
                Arguments.of("APPROVAL_THRESHOLD_USD", "0", "APPROVAL_THRESHOLD_USD must be a positive USD amount with at most 2 decimals such as 50000, got \"0\""),
                Arguments.of("APPROVAL_THRESHOLD_USD", "-5", "APPROVAL_THRESHOLD_USD must be a positive USD amount with at most 2 decimals such as 50000, got \"-5\""),
                Arguments.of("APPROVAL_THRESHOLD_USD", "10.001", "APPROVAL_THRESHOLD_USD must be a positive USD amount with at most 2 decimals such as 50000, got \"10.001\""),
                Arguments.of("APPROVAL_THRESHOLD_USD", "1e400", "APPROVAL_THRESHOLD_USD must be a positive USD amount with at most 2 decimals such as 50000, got \"1e400\""),
                Arguments.of("APPROVAL_TTL", "15m", "APPROVAL_TTL must be an ISO-8601 duration such as PT15M, got \"15m\""),
                Arguments.of("APPROVAL_TTL", "PT0S", "APPROVAL_TTL must be a positive ISO-8601 duration such as PT15M, got \"PT0S\""),
                Arguments.of("APPROVAL_TTL", "-PT5M", "APPROVAL_TTL must be a positive ISO-8601 duration such as PT15M, got \"-PT5M\""),
                Arguments.of("LOG_FORMAT", "xml", "LOG_FORMAT must be text or json, got \"xml\""),
                Arguments.of("LOG_FORMAT", "JSON", "LOG_FORMAT must be text or json, got \"JSON\""),
                Arguments.of("CORS_ORIGINS", "*", "CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com,http://localhost:3000, got \"*\""),
                Arguments.of("CORS_ORIGINS", "https://a.example.com/path", "CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com,http://localhost:3000, got \"https://a.example.com/path\""),
                Arguments.of("CORS_ORIGINS", "https://a.example.com,,", "CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com,http://localhost:3000, got \"https://a.example.com,,\""),
                Arguments.of("CORS_ORIGINS", "ftp://files.example.com", "CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com,http://localhost:3000, got \"ftp://files.example.com\""),
                Arguments.of("RATE_LIMIT_USER_PER_HOUR", "0", "RATE_LIMIT_USER_PER_HOUR must be a whole number from 1 to 1000000000, got \"0\""),
                Arguments.of("RATE_LIMIT_USER_PER_HOUR", "lots", "RATE_LIMIT_USER_PER_HOUR must be a whole number from 1 to 1000000000, got \"lots\""),
                Arguments.of("RATE_LIMIT_AGENT_PER_MINUTE", "2.5", "RATE_LIMIT_AGENT_PER_MINUTE must be a whole number from 1 to 1000000000, got \"2.5\""),
                Arguments.of("STORE", "postgres", "STORE must be sqlite or memory, got \"postgres\""),
                Arguments.of("SQLITE_SYNCHRONOUS", "off", "SQLITE_SYNCHRONOUS must be normal or full, got \"off\""),
                Arguments.of("METERING_GRPC_URL", "http://x y", "METERING_GRPC_URL must be host:port (e.g. 127.0.0.1:50051), a gRPC target such as dns:///metering:50051, or local, got \"http://x y\""),
                Arguments.of("GRPC_DEADLINE", "300ms", "GRPC_DEADLINE must be an ISO-8601 duration such as PT0.3S, got \"300ms\""),
                Arguments.of("QUOTA_DAILY_MULTIPLIER", "0", "QUOTA_DAILY_MULTIPLIER must be a number greater than 0 and at most 1000000, got \"0\""),
                Arguments.of("EXPIRY_CHECK_INTERVAL", "1s", "EXPIRY_CHECK_INTERVAL must be an ISO-8601 duration such as PT1S, got \"1s\""),
                Arguments.of("SHUTDOWN_TIMEOUT", "-PT1S", "SHUTDOWN_TIMEOUT must be zero or a positive ISO-8601 duration such as PT10S, got \"-PT1S\""),
                Arguments.of("DEMO_PASSWORD_TRADER", "short", "DEMO_PASSWORD_TRADER must be 8 to 128 characters long, got 5 characters"),
                Arguments.of("JWT_SECRET", "too-short-secret", "JWT_SECRET must be at least 32 bytes, got 16 bytes (unset it to have a key generated)"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("badValues")
    void aBadValueIsOneLineNamingTheSetting(String name, String value, String message) {
        ConfigException fromEnv = assertThrows(ConfigException.class,
                () -> ServiceConfig.parse(Map.of(name, value), List.of()));
        assertEquals(message, fromEnv.getMessage());
        assertFalse(fromEnv.getMessage().contains("\n"));

        String flag = "--" + name.toLowerCase().replace('_', '-');
        ConfigException fromFlag = assertThrows(ConfigException.class,
                () -> ServiceConfig.parse(Map.of(), List.of(flag, value)));
        assertEquals(message.replace(name, flag), fromFlag.getMessage(), "names the flag the operator used");
    }

    @Test
    void secretsAreNeverEchoed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ServiceConfig.parse(Map.of("JWT_SECRET", "hunter2-is-my-secret"), List.of()));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        ConfigException p = assertThrows(ConfigException.class,
                () -> ServiceConfig.parse(Map.of("DEMO_PASSWORD_ADMIN", "pw1"), List.of()));
        assertFalse(p.getMessage().contains("pw1"), p.getMessage());

        ServiceConfig c = ServiceConfig.parse(Map.of("JWT_SECRET", "super-secret-key-that-is-long-enough!",
                "DEMO_PASSWORD_TRADER", "trader-secret-pw"), List.of());
        assertFalse(c.toString().contains("super-secret"), c.toString());
        assertFalse(c.toString().contains("trader-secret-pw"), c.toString());
        assertTrue(c.toString().contains("jwtSecret=<set>"), c.toString());
        assertEquals("****", c.jwtSecret().orElseThrow().toString());
    }

    @Test
    void commandLineMistakes() {
        assertEquals("unknown option --prot (see --help for the settings)", assertThrows(ConfigException.class,
                () -> ServiceConfig.parse(Map.of(), List.of("--prot", "1"))).getMessage());
        assertEquals("--port needs a value", assertThrows(ConfigException.class,
                () -> ServiceConfig.parse(Map.of(), List.of("--port"))).getMessage());
        assertEquals("--port needs a value", assertThrows(ConfigException.class,
                () -> ServiceConfig.parse(Map.of(), List.of("--port", "--host", "x"))).getMessage());
        assertEquals("unexpected argument \"8080\" (settings are --name value; see --help)",
                assertThrows(ConfigException.class, () -> ServiceConfig.parse(Map.of(), List.of("8080"))).getMessage());
    }

    @Test
    void aFolderIsNotADatabasePath() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ServiceConfig.parse(Map.of("DB_PATH", tmp.toString()), List.of()));
        assertTrue(e.getMessage().startsWith("DB_PATH must be the path of a file (not a folder)"), e.getMessage());
    }

    @Test
    void anUnsetJwtSecretIsGeneratedOnceOwnerOnlyAndReused() throws IOException {
        ServiceConfig c = ServiceConfig.parse(Map.of("DB_PATH", tmp.resolve("d/trading.db").toString()), List.of());
        assertTrue(JwtSecretFile.existing(c).isEmpty(), "token never creates a key");

        Secret first = JwtSecretFile.resolve(c);
        Path file = tmp.resolve("d").resolve(JwtSecretFile.FILE_NAME);
        assertTrue(Files.exists(file));
        assertTrue(first.byteLength() >= 32);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        assertEquals(first.reveal(), JwtSecretFile.resolve(c).reveal(), "reused on the next start");
        assertEquals(first.reveal(), JwtSecretFile.existing(c).orElseThrow().reveal());
        assertEquals(first.reveal(), Files.readString(file, StandardCharsets.UTF_8).strip(),
                "JWT_SECRET=$(cat jwt-secret) gives the same key");
    }

    @Test
    void aKeyFileThatIsTooShortRefusesToStart() throws IOException {
        Files.writeString(tmp.resolve(JwtSecretFile.FILE_NAME), "short");
        ServiceConfig c = ServiceConfig.parse(Map.of("DB_PATH", tmp.resolve("trading.db").toString()), List.of());
        ConfigException e = assertThrows(ConfigException.class, () -> JwtSecretFile.resolve(c));
        assertTrue(e.getMessage().contains("shorter than 32 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aConfiguredSecretWinsOverTheFile() {
        ServiceConfig c = ServiceConfig.parse(Map.of("DB_PATH", tmp.resolve("trading.db").toString(),
                "JWT_SECRET", "x".repeat(40)), List.of());
        assertEquals("x".repeat(40), JwtSecretFile.resolve(c).reveal());
        assertFalse(Files.exists(tmp.resolve(JwtSecretFile.FILE_NAME)), "nothing written when the key is configured");
    }

    @Test
    void everySettingIsInTheHelp() {
        String usage = Main.usage();
        for (ServiceConfig.Setting s : ServiceConfig.Setting.values()) {
            assertTrue(usage.contains(s.env()) && usage.contains(s.flag()), s.env());
        }
    }
}
