package org.tradingdemo.launcher;

import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import org.tradingdemo.adapter.rest.JwtTokens;
import org.tradingdemo.domain.model.User;

/**
 * The command line.
 * <ul>
 *   <li>{@code serve} (the default): the HTTP API until SIGTERM / Ctrl-C;</li>
 *   <li>{@code demo}: the seed scenario on the in-memory adapters, printed step by step;</li>
 *   <li>{@code token --user NAME}: a bearer token for a demo user, on stdout, for scripts.</li>
 * </ul>
 * Exit codes: 0 success (also after SIGTERM), 1 failure at run time, 2 bad usage or configuration.
 *
 * <p>No logger is created here before the configuration is read: {@code serve} sets the
 * {@code LOG_FORMAT} system property for logback.xml first.
 */
public final class Main {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE_ERROR = 2;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != OK) {
            System.exit(code);
        }
    }

    /** Runs a command with the process environment; returns the exit code ({@code serve} returns once stopped). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err, server -> { });
    }

    /**
     * @param started called with the server once {@code serve} is listening (tests close it from there)
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err,
                   Consumer<TradingServer> started) {
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        String command = args.length == 0 ? "serve" : args[0];
        if (command.startsWith("--") && !isHelp(command)) {
            // settings without a command: serve with them
            command = "serve";
            rest = Arrays.asList(args);
        }
        if (rest.stream().anyMatch(Main::isHelp)) {
            out.print(usage());
            return OK;
        }
        try {
            switch (command) {
                case "serve":
                    return serve(ServiceConfig.parse(env, rest), out, err, started);
                case "demo":
                    if (!rest.isEmpty()) {
                        err.println("error: demo takes no arguments, got: " + String.join(" ", rest));
                        return USAGE_ERROR;
                    }
                    new DemoScenario(Clock.systemUTC(), out).run();
                    return OK;
                case "token":
                    return token(rest, env, out);
                case "backup":
                    return backup(rest, env, out);
                case "metering-server":
                    return standalone("metering", rest, env, out, started);
                case "oversight-server":
                    return standalone("oversight", rest, env, out, started);
                case "--help":
                case "-h":
                case "help":
                    out.print(usage());
                    return OK;
                default:
                    err.println("error: unknown command: " + command);
                    err.print(usage());
                    return USAGE_ERROR;
            }
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
            return USAGE_ERROR;
        } catch (RuntimeException e) {
            err.println("error: " + command + " failed: " + e);
            return FAILED;
        }
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.equals("-h");
    }

    /** Before the first logger exists, so logback.xml picks its appender by ${LOG_FORMAT} (flag or env). */
    private static void selectLogFormat(ServiceConfig config) {
        System.setProperty("LOG_FORMAT", config.logFormat().name().toLowerCase(Locale.ROOT));
    }

    private static int serve(ServiceConfig config, PrintStream out, PrintStream err, Consumer<TradingServer> started) {
        selectLogFormat(config);
        TradingServer server = TradingServer.start(config);
        printBanner(server, out);
        Thread hook = new Thread(() -> {
            try {
                server.close();
            } finally {
                // a SIGTERM'd JVM would otherwise exit with 143; a clean stop on request is a success
                Runtime.getRuntime().halt(OK);
            }
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        started.accept(server);
        try {
            server.awaitClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is what closed the server: nothing to remove
        }
        return OK;
    }

    private static void printBanner(TradingServer server, PrintStream out) {
        String url = server.baseUrl();
        out.println("Trading Demo is listening on " + url);
        out.println("  API " + url + "/api/v1   docs " + url + "/docs   health " + url + "/health   metrics "
                + url + "/metrics");
        List<DemoUsers.Credential> created = server.firstStartCredentials();
        if (!created.isEmpty()) {
            out.println("Demo users created (first start; generated passwords are shown only now):");
            for (DemoUsers.Credential c : created) {
                out.printf("  %-9s %s%n", c.username(), c.generated() ? c.password().reveal()
                        : "(password from " + passwordSetting(c) + ")");
            }
            out.println("  log in: curl -s -X POST " + url + "/api/v1/auth/login -H 'Content-Type: application/json'"
                    + " -d '{\"username\":\"trader\",\"password\":\"...\"}'");
        }
        out.println("Stop with Ctrl-C or SIGTERM.");
        out.flush();
    }

    private static String passwordSetting(DemoUsers.Credential c) {
        return "DEMO_PASSWORD_" + c.role().name();
    }

    /** {@code token --user NAME [settings]}: signs with the same key as the server, for the same user id. */
    private static int token(List<String> args, Map<String, String> env, PrintStream out) {
        String user = null;
        List<String> settings = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--user")) {
                if (i + 1 >= args.size()) {
                    throw new ConfigException("--user needs a value: token --user trader");
                }
                user = args.get(++i);
            } else if (arg.startsWith("--user=")) {
                user = arg.substring("--user=".length());
            } else {
                settings.add(arg);
            }
        }
        if (user == null || user.isBlank()) {
            throw new ConfigException("token needs --user admin|trader|approver|viewer");
        }
        ServiceConfig config = ServiceConfig.parse(env, settings);
        selectLogFormat(config);
        User demoUser = DemoUsers.forToken(config.dataDir(), user.strip());
        Secret key = JwtSecretFile.existing(config).orElseThrow(() -> new ConfigException("no JWT key: set JWT_SECRET "
                + "as for the server, or start the server once with the same DB_PATH (it keeps its key in "
                + config.dataDir().resolve(JwtSecretFile.FILE_NAME) + ")"));
        JwtTokens tokens = new JwtTokens(TradingServer.restSettings(config, key, Clock.systemUTC()));
        out.println(tokens.issue(demoUser));
        return OK;
    }

    /**
     * {@code backup --to FILE [settings]}: a consistent online copy of the SQLite database
     * ({@code VACUUM INTO}), safe while the server runs; the copy opens like any database file.
     */
    private static int backup(List<String> args, Map<String, String> env, PrintStream out) {
        String target = null;
        List<String> settings = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--to")) {
                if (i + 1 >= args.size()) {
                    throw new ConfigException("--to needs a file: backup --to backup.db");
                }
                target = args.get(++i);
            } else if (arg.startsWith("--to=")) {
                target = arg.substring("--to=".length());
            } else {
                settings.add(arg);
            }
        }
        if (target == null || target.isBlank()) {
            throw new ConfigException("backup needs --to FILE");
        }
        ServiceConfig config = ServiceConfig.parse(env, settings);
        if (config.store() != ServiceConfig.StoreKind.SQLITE) {
            throw new ConfigException("backup copies the SQLite database; STORE is " + config.store().name().toLowerCase(Locale.ROOT));
        }
        selectLogFormat(config);
        java.nio.file.Path to = java.nio.file.Path.of(target);
        if (java.nio.file.Files.exists(to)) {
            throw new ConfigException("backup target " + to + " already exists; choose a new file");
        }
        try {
            org.tradingdemo.adapter.sqlite.SqliteStore.backup(config.dbPath(), to);
        } catch (org.tradingdemo.adapter.sqlite.SqliteStoreException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        out.println("backed up " + config.dbPath() + " to " + to);
        return OK;
    }

    /**
     * {@code metering-server|oversight-server [--port N] [--host H] [--tls-cert PEM --tls-key PEM]}:
     * runs one reference server alone until Ctrl-C / SIGTERM. {@code GRPC_API_KEY} (env or
     * {@code --api-key}) makes it require that key on every call.
     */
    private static int standalone(String which, List<String> args, Map<String, String> env, PrintStream out,
                                  Consumer<TradingServer> started) {
        int port = which.equals("metering") ? 50051 : 50052;
        String host = "127.0.0.1";
        String apiKey = env.get("GRPC_API_KEY");
        String cert = null;
        String key = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (i + 1 >= args.size()) {
                throw new ConfigException(arg + " needs a value");
            }
            String value = args.get(++i);
            switch (arg) {
                case "--port" -> {
                    try {
                        port = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        port = -1;
                    }
                    if (port < 0 || port > 65535) {
                        throw new ConfigException("--port must be a whole number from 0 to 65535, got \"" + value + "\"");
                    }
                }
                case "--host" -> host = value;
                case "--api-key" -> apiKey = value;
                case "--tls-cert" -> cert = value;
                case "--tls-key" -> key = value;
                default -> throw new ConfigException("unknown option " + arg + " for " + which + "-server");
            }
        }
        if ((cert == null) != (key == null)) {
            throw new ConfigException("--tls-cert and --tls-key go together");
        }
        if (apiKey != null && apiKey.length() < 16) {
            throw new ConfigException("the API key must be at least 16 characters");
        }
        CountDownLatch stop = new CountDownLatch(1);
        AutoCloseable server;
        String target;
        try {
            if (which.equals("metering")) {
                var config = org.tradingdemo.adapter.grpc.metering.MeteringServerConfig.loopback(port).withHost(host);
                config = apiKey == null ? config : config.withApiKey(apiKey);
                config = cert == null ? config : config.withTls(java.nio.file.Path.of(cert), java.nio.file.Path.of(key));
                var s = new org.tradingdemo.adapter.grpc.metering.MeteringGrpcServer(config, Clock.systemUTC()).start();
                server = s;
                target = host + ":" + s.port();
            } else {
                var config = org.tradingdemo.adapter.grpc.oversight.OversightServerConfig.loopback(port).withHost(host);
                config = apiKey == null ? config : config.withApiKey(apiKey);
                config = cert == null ? config : config.withTls(java.nio.file.Path.of(cert), java.nio.file.Path.of(key));
                var s = new org.tradingdemo.adapter.grpc.oversight.OversightGrpcServer(config, Clock.systemUTC()).start();
                server = s;
                target = host + ":" + s.port();
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new ConfigException("cannot start the " + which + " server on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        out.println("creto-" + which + " reference server listening on " + target + " (gRPC"
                + (cert == null ? ", plaintext" : ", TLS") + (apiKey == null ? "" : ", API key required") + ")");
        out.flush();
        Thread hook = new Thread(() -> {
            try {
                closeQuietly(server);
                stop.countDown();
            } finally {
                // as in serve: a SIGTERM'd JVM would otherwise exit with 143; a clean stop on request is a success
                Runtime.getRuntime().halt(OK);
            }
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(server);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is stopping the server already
            }
        }
        return OK;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // stopping anyway
        }
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("""
                Usage: java -jar trading-demo.jar [command] [--setting value ...]

                Commands:
                  serve                 run the HTTP API until Ctrl-C / SIGTERM (the default)
                  demo                  run the seed scenario on the in-memory adapters and print each step
                  token --user NAME     print a bearer token for a demo user (admin, trader, approver, viewer),
                                        signed with the server's key, e.g. TOKEN=$(java -jar trading-demo.jar token --user trader)
                  backup --to FILE      consistent online copy of the SQLite database (safe while serving)
                  metering-server [--port 50051] [--host H] [--api-key K] [--tls-cert PEM --tls-key PEM]
                                        run the creto-metering reference server alone
                  oversight-server [--port 50052] [...]  the same for the creto-oversight reference server
                  --help                show this help

                Settings: an environment variable or its flag (the flag wins; an empty value means unset).
                """);
        for (ServiceConfig.Setting s : ServiceConfig.Setting.values()) {
            sb.append(String.format("  %-28s %-30s %-18s %s%n", s.env(), s.flag(), s.defaultValue(), s.description()));
        }
        sb.append("""

                Exit codes: 0 ok (also after SIGTERM), 1 failed while running, 2 bad usage or configuration.
                """);
        return sb.toString();
    }
}
