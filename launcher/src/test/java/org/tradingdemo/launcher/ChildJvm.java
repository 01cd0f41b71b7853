package org.tradingdemo.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The launcher's {@code main} in a separate JVM (same java binary, the test class path), for what
 * only a process can show: a real exit code, SIGKILL in the middle of work. Standard output and error
 * go to files (nothing can block on a full pipe); {@link #close} kills what is still running.
 */
final class ChildJvm implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Trading Demo is listening on (http://\\S+)");

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildJvm(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code org.tradingdemo.launcher.Main args} with exactly the given settings in its
     * environment (the settings this JVM inherited are removed, so the child sees only these).
     *
     * @param logDir where {@code <name>.out} and {@code <name>.err} are written
     */
    static ChildJvm start(Path logDir, String name, Map<String, String> env, String... args) {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(java,
                // a small, quick-starting server: two cores are shared with the test JVM and other builds
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        for (ServiceConfig.Setting s : ServiceConfig.Setting.values()) {
            pb.environment().remove(s.env());
        }
        pb.environment().putAll(env);
        Path out = logDir.resolve(name + ".out");
        Path err = logDir.resolve(name + ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        try {
            return new ChildJvm(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
    }

    /** The base URL from the banner; fails when the process exits first or the timeout passes. */
    String awaitUrl(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(stdout());
            if (m.find()) {
                return m.group(1);
            }
            if (!process.isAlive()) {
                throw new AssertionError("the child JVM exited with " + process.exitValue() + " before listening;"
                        + "\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
            }
            sleep(25);
        }
        throw new AssertionError("the child JVM did not print its URL within " + timeout + ";\nstdout:\n" + stdout()
                + "\nstderr:\n" + stderr());
    }

    /** Waits for the process to end by itself; fails (and kills it) after the timeout. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError("the child JVM did not exit within " + timeout + ";\nstderr:\n" + stderr());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** SIGKILL on Linux ({@link Process#destroyForcibly}): no shutdown hook, no close, no flush. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                throw new AssertionError("the child JVM " + process.pid() + " survived SIGKILL for 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            // a half-written UTF-8 sequence at the end of a growing file: read bytes leniently
            try {
                return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException again) {
                throw new UncheckedIOException(again);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
