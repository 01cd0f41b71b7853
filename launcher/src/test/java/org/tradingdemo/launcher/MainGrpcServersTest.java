package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.proto.metering.v1.MeteringServiceGrpc;
import org.tradingdemo.proto.oversight.v1.OversightServiceGrpc;

/**
 * {@code metering-server --port 0} and {@code oversight-server --port 0} as an operator runs them: each
 * in its own JVM (they serve until SIGTERM), printing where they listen; {@code grpc.health.v1} answers
 * SERVING there; SIGTERM stops them with exit code 0. Both JVMs start at once to keep the test short.
 */
class MainGrpcServersTest {

    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration STOP = Duration.ofSeconds(15);
    private static final Pattern LISTENING =
            Pattern.compile("creto-(metering|oversight) reference server listening on (127\\.0\\.0\\.1):(\\d+) \\(gRPC, plaintext\\)");

    @Test
    void eachReferenceServerRunsAloneAnswersHealthChecksAndStopsCleanlyOnSigterm(@TempDir Path logDir) {
        List<Child> children = new ArrayList<>();
        try {
            children.add(Child.start(logDir, "metering-server", "--port", "0"));
            children.add(Child.start(logDir, "oversight-server", "--port", "0"));
            String[] services = {MeteringServiceGrpc.SERVICE_NAME, OversightServiceGrpc.SERVICE_NAME};
            for (int i = 0; i < children.size(); i++) {
                Child child = children.get(i);
                Matcher listening = child.awaitListening(START);
                int port = Integer.parseInt(listening.group(3));
                assertTrue(port > 0, "a real port, not 0: " + listening.group());
                assertEquals(child.command.replace("-server", ""), listening.group(1));
                assertServing(listening.group(2) + ":" + port, "");
                assertServing(listening.group(2) + ":" + port, services[i]);
            }
            for (Child child : children) {
                child.process.destroy(); // SIGTERM
            }
            for (Child child : children) {
                assertEquals(0, child.awaitExit(STOP), child.command + " exits 0 after SIGTERM;\nstdout:\n"
                        + child.stdout() + "\nstderr:\n" + child.stderr());
            }
        } finally {
            children.forEach(Child::kill);
        }
    }

    private static void assertServing(String target, String service) {
        ManagedChannel channel = Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
        try {
            ServingStatus status = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .withWaitForReady()
                    .check(HealthCheckRequest.newBuilder().setService(service).build())
                    .getStatus();
            assertEquals(ServingStatus.SERVING, status, target + " health of '" + service + "'");
        } finally {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@code java -cp <test class path> org.tradingdemo.launcher.Main <command> <args>}, output to files. */
    private record Child(String command, Process process, Path out, Path err) {

        static Child start(Path logDir, String command, String... args) {
            String java = ProcessHandle.current().info().command()
                    .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> line = new ArrayList<>(List.of(java,
                    // small and quick to start: two cores are shared with the test JVM and other builds
                    "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), command));
            line.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(line);
            for (ServiceConfig.Setting s : ServiceConfig.Setting.values()) {
                pb.environment().remove(s.env()); // GRPC_API_KEY among them: these servers take no key
            }
            Path out = logDir.resolve(command + ".out");
            Path err = logDir.resolve(command + ".err");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            try {
                return new Child(command, pb.start(), out, err);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + java, e);
            }
        }

        Matcher awaitListening(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Matcher m = LISTENING.matcher(stdout());
                if (m.find()) {
                    return m;
                }
                if (!process.isAlive()) {
                    throw new AssertionError(command + " exited with " + process.exitValue() + " before listening;\nstdout:\n"
                            + stdout() + "\nstderr:\n" + stderr());
                }
                GrpcE2e.sleep(25);
            }
            throw new AssertionError(command + " printed no listening line within " + timeout + ";\nstdout:\n" + stdout()
                    + "\nstderr:\n" + stderr());
        }

        int awaitExit(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError(command + " still runs " + timeout + " after SIGTERM");
                }
                return process.exitValue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }

        /** SIGKILL whatever still runs (a failed test), and wait for it to be gone. */
        void kill() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        private static String read(Path file) {
            try {
                return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
