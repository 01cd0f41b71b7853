package org.tradingdemo.launcher;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import org.tradingdemo.domain.model.Role;

/**
 * Every setting of the service, parsed once from environment variables and their {@code --kebab-case}
 * flags (a flag wins over the variable; an empty value counts as unset). A missing, malformed or
 * out-of-range value stops start-up with one {@link ConfigException} line that names the setting
 * the way the operator wrote it. Secrets are {@link Secret}s and never appear in {@link #toString()}.
 *
 * <p>Build one with {@link #parse(Map, List)} ({@code parse(System.getenv(), args)} in production,
 * {@code parse(Map.of("PORT", "0", ...), List.of())} in tests and benchmarks).
 *
 * @param dbPath              the SQLite database file; its folder is the data folder (also for the memory store)
 * @param jwtSecret           the HS256 key as given; empty: generated once and kept in the data folder
 * @param demoPasswords       passwords of the demo users by role; a role without one gets a generated
 *                            password, printed once at first start
 * @param expiryCheckInterval how often pending approval requests are checked for expiry
 * @param shutdownTimeout     how long {@code close()} lets in-flight requests finish
 */
public record ServiceConfig(String host, int port, Path dbPath, Optional<Secret> jwtSecret,
                            BigDecimal approvalThresholdUsd, Duration approvalTtl, LogFormat logFormat,
                            List<String> corsOrigins, long rateLimitUserPerHour, long rateLimitAgentPerMinute,
                            Map<Role, Secret> demoPasswords, StoreKind store, Duration expiryCheckInterval,
                            Duration shutdownTimeout, SqliteSync sqliteSynchronous, Optional<String> meteringGrpcUrl,
                            Optional<String> oversightGrpcUrl, Optional<Secret> grpcApiKey, Duration grpcDeadline,
                            BigDecimal quotaDailyMultiplier) {

    /** HMAC-SHA256 wants a key at least as long as its output: 32 bytes. */
    public static final int MIN_SECRET_BYTES = 32;
    static final int MIN_PASSWORD_LENGTH = 8;
    static final int MAX_PASSWORD_LENGTH = 128;
    private static final long MAX_RATE = 1_000_000_000L;
    private static final BigDecimal MAX_THRESHOLD = new BigDecimal("1000000000000");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]{1,255}");

    public enum LogFormat { TEXT, JSON }

    /** Where the use cases keep their data. */
    public enum StoreKind { SQLITE, MEMORY }

    /** SQLite's {@code synchronous} in WAL mode: NORMAL and FULL both lose nothing on kill -9; FULL also survives a power cut. */
    public enum SqliteSync { NORMAL, FULL }

    /** The value of METERING_GRPC_URL / OVERSIGHT_GRPC_URL that selects the in-process adapter (no gRPC). */
    public static final String LOCAL = "local";

    /**
     * The settings, each an environment variable with a {@code --kebab-case} flag and a default.
     * {@code --help} prints this table, so the help and the parser cannot drift apart.
     */
    public enum Setting {
        PORT("8080", "HTTP port; 0 picks a free one"),
        HOST("127.0.0.1", "interface to listen on (0.0.0.0: every interface)"),
        DB_PATH("./data/trading.db", "database file; its folder is the data folder (jwt-secret lives there)"),
        JWT_SECRET("generated", "HS256 key, at least 32 bytes; unset: generated once into <data folder>/jwt-secret"),
        APPROVAL_THRESHOLD_USD("50000", "trades above this amount wait for a human approver"),
        APPROVAL_TTL("PT15M", "how long an approval request waits before it expires (ISO-8601 duration)"),
        LOG_FORMAT("text", "text or json"),
        CORS_ORIGINS("none", "comma-separated origins allowed to call the API from a browser"),
        RATE_LIMIT_USER_PER_HOUR("1000", "requests per user per hour"),
        RATE_LIMIT_AGENT_PER_MINUTE("100", "trade submissions per agent per minute"),
        DEMO_PASSWORD_ADMIN("generated", "password of the demo user admin (printed once at first start when generated)"),
        DEMO_PASSWORD_TRADER("generated", "password of the demo user trader"),
        DEMO_PASSWORD_APPROVER("generated", "password of the demo user approver"),
        DEMO_PASSWORD_VIEWER("generated", "password of the demo user viewer"),
        STORE("sqlite", "where data lives: sqlite (the DB_PATH file) or memory"),
        SQLITE_SYNCHRONOUS("normal", "normal (loses nothing on kill -9) or full (also nothing on a power cut, slower)"),
        METERING_GRPC_URL("embedded", "metering service host:port; unset: the embedded reference server on loopback; local: no gRPC"),
        OVERSIGHT_GRPC_URL("embedded", "oversight service host:port; unset: the embedded reference server on loopback; local: no gRPC"),
        GRPC_API_KEY("none", "shared key sent as x-api-key to the metering and oversight services (and required by the embedded ones)"),
        GRPC_DEADLINE("PT0.3S", "deadline of every gRPC call (ISO-8601 duration)"),
        QUOTA_DAILY_MULTIPLIER("1", "daily trading-volume quota = budget x this (monthly = 22 x daily)"),
        EXPIRY_CHECK_INTERVAL("PT1S", "how often overdue approval requests are expired (ISO-8601 duration)"),
        SHUTDOWN_TIMEOUT("PT10S", "how long shutdown waits for in-flight requests (ISO-8601 duration)");

        private final String defaultValue;
        private final String description;

        Setting(String defaultValue, String description) {
            this.defaultValue = defaultValue;
            this.description = description;
        }

        public String env() {
            return name();
        }

        public String flag() {
            return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public String defaultValue() {
            return defaultValue;
        }

        public String description() {
            return description;
        }

        /** Secrets are taken exactly as given (a password may end in a space) and never echoed. */
        boolean isSecret() {
            return this == JWT_SECRET || this == GRPC_API_KEY || name().startsWith("DEMO_PASSWORD_");
        }

        String normalise(String value) {
            return isSecret() ? value : value.strip();
        }

        static Optional<Setting> byFlag(String flag) {
            for (Setting s : values()) {
                if (s.flag().equals(flag)) {
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }
    }

    public ServiceConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dbPath, "dbPath");
        Objects.requireNonNull(jwtSecret, "jwtSecret");
        Objects.requireNonNull(approvalThresholdUsd, "approvalThresholdUsd");
        Objects.requireNonNull(approvalTtl, "approvalTtl");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(expiryCheckInterval, "expiryCheckInterval");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(sqliteSynchronous, "sqliteSynchronous");
        Objects.requireNonNull(meteringGrpcUrl, "meteringGrpcUrl");
        Objects.requireNonNull(oversightGrpcUrl, "oversightGrpcUrl");
        Objects.requireNonNull(grpcApiKey, "grpcApiKey");
        Objects.requireNonNull(grpcDeadline, "grpcDeadline");
        Objects.requireNonNull(quotaDailyMultiplier, "quotaDailyMultiplier");
        corsOrigins = List.copyOf(corsOrigins);
        demoPasswords = Collections.unmodifiableMap(demoPasswords.isEmpty()
                ? new EnumMap<>(Role.class) : new EnumMap<>(demoPasswords));
        // the invariants again, for code that builds the record without parse()
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535");
        }
        if (jwtSecret.isPresent() && jwtSecret.get().byteLength() < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("jwtSecret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        if (approvalThresholdUsd.signum() <= 0 || !isPositive(approvalTtl) || !isPositive(expiryCheckInterval)
                || shutdownTimeout.isNegative() || rateLimitUserPerHour < 1 || rateLimitAgentPerMinute < 1) {
            throw new IllegalArgumentException("threshold, durations and rate limits must be positive");
        }
    }

    private static boolean isPositive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /** Every setting at its default: what {@code java -jar trading-demo.jar} runs with. */
    public static ServiceConfig defaults() {
        return parse(Map.of(), List.of());
    }

    /**
     * Parses the environment, then the flags over it.
     *
     * @param env  environment variables (unknown names are ignored: the environment holds much else)
     * @param args {@code --name value} or {@code --name=value} pairs; anything else is an error
     * @throws ConfigException naming the first bad setting
     */
    public static ServiceConfig parse(Map<String, String> env, List<String> args) {
        Raw raw = new Raw();
        for (Setting s : Setting.values()) {
            String value = env.get(s.env());
            if (value != null && !value.isBlank()) {
                raw.put(s, s.env(), s.normalise(value));
            }
        }
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new ConfigException("unexpected argument \"" + arg + "\" (settings are --name value; see --help)");
            }
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            Setting s = Setting.byFlag(flag).orElseThrow(() ->
                    new ConfigException("unknown option " + flag + " (see --help for the settings)"));
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                throw new ConfigException(flag + " needs a value");
            }
            if (value.isBlank()) {
                raw.clear(s);
            } else {
                raw.put(s, flag, s.normalise(value));
            }
        }
        return raw.build();
    }

    /** The folder that holds the database and the generated key: the parent of {@link #dbPath}. */
    public Path dataDir() {
        Path absolute = dbPath.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        return parent != null ? parent : absolute.getRoot();
    }

    public Optional<Secret> demoPassword(Role role) {
        return Optional.ofNullable(demoPasswords.get(role));
    }

    /** Never prints a secret, only whether it was given. */
    @Override
    public String toString() {
        return "ServiceConfig[host=" + host + ", port=" + port + ", dbPath=" + dbPath
                + ", jwtSecret=" + (jwtSecret.isPresent() ? "<set>" : "<generated>")
                + ", approvalThresholdUsd=" + approvalThresholdUsd.toPlainString() + ", approvalTtl=" + approvalTtl
                + ", logFormat=" + logFormat.name().toLowerCase(Locale.ROOT) + ", corsOrigins=" + corsOrigins
                + ", rateLimitUserPerHour=" + rateLimitUserPerHour
                + ", rateLimitAgentPerMinute=" + rateLimitAgentPerMinute
                + ", demoPasswords=<set for " + demoPasswords.keySet() + ">"
                + ", store=" + store.name().toLowerCase(Locale.ROOT) + ", expiryCheckInterval=" + expiryCheckInterval
                + ", shutdownTimeout=" + shutdownTimeout + ", sqliteSynchronous=" + sqliteSynchronous
                + ", meteringGrpcUrl=" + meteringGrpcUrl.orElse("embedded")
                + ", oversightGrpcUrl=" + oversightGrpcUrl.orElse("embedded")
                + ", grpcApiKey=" + (grpcApiKey.isPresent() ? "<set>" : "<none>") + ", grpcDeadline=" + grpcDeadline
                + ", quotaDailyMultiplier=" + quotaDailyMultiplier.toPlainString() + "]";
    }

    /** The raw text of each setting and the name it was given under (for the error message). */
    private static final class Raw {
        private final Map<Setting, String> values = new EnumMap<>(Setting.class);
        private final Map<Setting, String> givenAs = new EnumMap<>(Setting.class);

        void put(Setting s, String name, String value) {
            values.put(s, value);
            givenAs.put(s, name);
        }

        void clear(Setting s) {
            values.remove(s);
            givenAs.remove(s);
        }

        ServiceConfig build() {
            Map<Role, Secret> passwords = new LinkedHashMap<>();
            password(Setting.DEMO_PASSWORD_ADMIN).ifPresent(p -> passwords.put(Role.ADMIN, p));
            password(Setting.DEMO_PASSWORD_TRADER).ifPresent(p -> passwords.put(Role.TRADER, p));
            password(Setting.DEMO_PASSWORD_APPROVER).ifPresent(p -> passwords.put(Role.APPROVER, p));
            password(Setting.DEMO_PASSWORD_VIEWER).ifPresent(p -> passwords.put(Role.VIEWER, p));
            return new ServiceConfig(host(), port(), dbPath(), jwtSecret(), threshold(),
                    positiveDuration(Setting.APPROVAL_TTL, "PT15M"), logFormat(), corsOrigins(),
                    rate(Setting.RATE_LIMIT_USER_PER_HOUR), rate(Setting.RATE_LIMIT_AGENT_PER_MINUTE), passwords,
                    store(), positiveDuration(Setting.EXPIRY_CHECK_INTERVAL, "PT1S"), shutdownTimeout(),
                    sqliteSync(), grpcUrl(Setting.METERING_GRPC_URL), grpcUrl(Setting.OVERSIGHT_GRPC_URL),
                    apiKey(), positiveDuration(Setting.GRPC_DEADLINE, "PT0.3S"), quotaMultiplier());
        }

        private String text(Setting s) {
            return values.getOrDefault(s, s.defaultValue());
        }

        private boolean isSet(Setting s) {
            return values.containsKey(s);
        }

        private ConfigException bad(Setting s, String expectation) {
            return new ConfigException(givenAs.getOrDefault(s, s.env()) + " must be " + expectation + ", got \""
                    + printable(values.get(s)) + "\"");
        }

        /** Shows the offending value, shortened and without control characters (it goes to a log line). */
        private static String printable(String value) {
            String v = value == null ? "" : value.replaceAll("\\p{Cntrl}", "?");
            return v.length() > 60 ? v.substring(0, 57) + "..." : v;
        }

        private int port() {
            try {
                int port = Integer.parseInt(text(Setting.PORT));
                if (port >= 0 && port <= 65_535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw bad(Setting.PORT, "a whole number from 0 to 65535 (0 picks a free port)");
        }

        private String host() {
            String host = text(Setting.HOST);
            if (!HOST.matcher(host).matches()) {
                throw bad(Setting.HOST, "a host name or IP address such as 127.0.0.1 or 0.0.0.0");
            }
            return host;
        }

        private Path dbPath() {
            Path path;
            try {
                path = Path.of(text(Setting.DB_PATH));
            } catch (InvalidPathException e) {
                throw bad(Setting.DB_PATH, "a file path such as ./data/trading.db");
            }
            if (path.getFileName() == null || Files.isDirectory(path)) {
                throw bad(Setting.DB_PATH, "the path of a file (not a folder) such as ./data/trading.db");
            }
            return path;
        }

        private Optional<Secret> jwtSecret() {
            if (!isSet(Setting.JWT_SECRET)) {
                return Optional.empty();
            }
            Secret secret = Secret.of(values.get(Setting.JWT_SECRET));
            if (secret.byteLength() < MIN_SECRET_BYTES) {
                // never echo a secret, not even a wrong one: only its length
                throw new ConfigException(givenAs.get(Setting.JWT_SECRET) + " must be at least " + MIN_SECRET_BYTES
                        + " bytes, got " + secret.byteLength() + " bytes (unset it to have a key generated)");
            }
            return Optional.of(secret);
        }

        private BigDecimal threshold() {
            String expectation = "a positive USD amount with at most 2 decimals such as 50000";
            BigDecimal value;
            try {
                value = new BigDecimal(text(Setting.APPROVAL_THRESHOLD_USD));
            } catch (NumberFormatException e) {
                throw bad(Setting.APPROVAL_THRESHOLD_USD, expectation);
            }
            if (value.signum() <= 0 || value.compareTo(MAX_THRESHOLD) > 0 || value.stripTrailingZeros().scale() > 2) {
                throw bad(Setting.APPROVAL_THRESHOLD_USD, expectation);
            }
            BigDecimal plain = value.stripTrailingZeros();
            return plain.scale() < 0 ? plain.setScale(0) : plain;
        }

        private Duration positiveDuration(Setting s, String example) {
            Duration d = duration(s, example);
            if (d.isZero() || d.isNegative()) {
                throw bad(s, "a positive ISO-8601 duration such as " + example);
            }
            return d;
        }

        private Duration shutdownTimeout() {
            Duration d = duration(Setting.SHUTDOWN_TIMEOUT, "PT10S");
            if (d.isNegative()) {
                throw bad(Setting.SHUTDOWN_TIMEOUT, "zero or a positive ISO-8601 duration such as PT10S");
            }
            return d;
        }

        private Duration duration(Setting s, String example) {
            try {
                return Duration.parse(text(s));
            } catch (DateTimeParseException e) {
                throw bad(s, "an ISO-8601 duration such as " + example);
            }
        }

        private LogFormat logFormat() {
            return switch (text(Setting.LOG_FORMAT)) {
                case "text" -> LogFormat.TEXT;
                case "json" -> LogFormat.JSON;
                default -> throw bad(Setting.LOG_FORMAT, "text or json");
            };
        }

        private List<String> corsOrigins() {
            if (!isSet(Setting.CORS_ORIGINS)) {
                return List.of();
            }
            List<String> origins = new ArrayList<>();
            for (String part : values.get(Setting.CORS_ORIGINS).split(",", -1)) {
                String origin = part.strip();
                if (!isOrigin(origin)) {
                    throw bad(Setting.CORS_ORIGINS,
                            "a comma-separated list of origins such as https://app.example.com,http://localhost:3000");
                }
                if (!origins.contains(origin)) {
                    origins.add(origin);
                }
            }
            return origins;
        }

        /** scheme://host[:port] with http or https and nothing else: no path, no wildcard. */
        private static boolean isOrigin(String text) {
            try {
                URI uri = new URI(text);
                return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getRawUserInfo() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                        && uri.getRawQuery() == null && uri.getRawFragment() == null;
            } catch (URISyntaxException e) {
                return false;
            }
        }

        private long rate(Setting s) {
            try {
                long v = Long.parseLong(text(s));
                if (v >= 1 && v <= MAX_RATE) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw bad(s, "a whole number from 1 to " + MAX_RATE);
        }

        private Optional<Secret> password(Setting s) {
            if (!isSet(s)) {
                return Optional.empty();
            }
            String value = values.get(s);
            int length = value.codePointCount(0, value.length());
            if (length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
                throw new ConfigException(givenAs.get(s) + " must be " + MIN_PASSWORD_LENGTH + " to "
                        + MAX_PASSWORD_LENGTH + " characters long, got " + length + " characters");
            }
            return Optional.of(Secret.of(value));
        }

        private StoreKind store() {
            switch (text(Setting.STORE).toLowerCase(Locale.ROOT)) {
                case "sqlite":
                    return StoreKind.SQLITE;
                case "memory":
                    return StoreKind.MEMORY;
                default:
                    throw bad(Setting.STORE, "sqlite or memory");
            }
        }

        private SqliteSync sqliteSync() {
            switch (text(Setting.SQLITE_SYNCHRONOUS).toLowerCase(Locale.ROOT)) {
                case "normal":
                    return SqliteSync.NORMAL;
                case "full":
                    return SqliteSync.FULL;
                default:
                    throw bad(Setting.SQLITE_SYNCHRONOUS, "normal or full");
            }
        }

        /** Empty: the embedded reference server; {@value ServiceConfig#LOCAL}: in-process; else host:port. */
        private Optional<String> grpcUrl(Setting s) {
            if (!isSet(s)) {
                return Optional.empty();
            }
            String value = values.get(s);
            if (value.equals(LOCAL) || value.matches("[A-Za-z0-9.\\-\\[\\]:]{1,255}:[0-9]{1,5}")
                    || value.matches("(dns|static|unix|passthrough):[^\\s]{1,255}")) {
                return Optional.of(value);
            }
            throw bad(s, "host:port (e.g. 127.0.0.1:50051), a gRPC target such as dns:///metering:50051, or local");
        }

        private Optional<Secret> apiKey() {
            if (!isSet(Setting.GRPC_API_KEY)) {
                return Optional.empty();
            }
            String value = values.get(Setting.GRPC_API_KEY);
            if (value.length() < 16) {
                throw new ConfigException(givenAs.get(Setting.GRPC_API_KEY) + " must be at least 16 characters, got "
                        + value.length());
            }
            return Optional.of(Secret.of(value));
        }

        private BigDecimal quotaMultiplier() {
            try {
                BigDecimal m = new BigDecimal(text(Setting.QUOTA_DAILY_MULTIPLIER));
                if (m.signum() > 0 && m.compareTo(new BigDecimal("1000000")) <= 0 && m.scale() <= 4) {
                    return m;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw bad(Setting.QUOTA_DAILY_MULTIPLIER, "a number greater than 0 and at most 1000000");
        }
    }
}
