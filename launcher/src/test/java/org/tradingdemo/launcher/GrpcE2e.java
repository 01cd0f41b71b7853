package org.tradingdemo.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.tradingdemo.adapter.grpc.metering.MeteringBook;
import org.tradingdemo.adapter.grpc.metering.MeteringGrpcServer;
import org.tradingdemo.adapter.grpc.metering.MeteringServerConfig;
import org.tradingdemo.adapter.grpc.oversight.OversightAuthority;
import org.tradingdemo.adapter.grpc.oversight.OversightGrpcServer;
import org.tradingdemo.adapter.grpc.oversight.OversightServerConfig;

/**
 * What the gRPC end-to-end tests share: bounded polling, and reference servers on loopback that can be
 * started again on the port they had (over the same state) to play an external service that restarts.
 */
final class GrpcE2e {

    /** How long a restarted server may need before its port can be bound again. */
    private static final Duration REBIND_TIMEOUT = Duration.ofSeconds(5);

    private GrpcE2e() {
    }

    /** Polls {@code probe} every 50 ms until {@code done} holds; fails with the last value after {@code timeout}. */
    static <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last;
        while (true) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; last: " + last);
            }
            sleep(50);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A metering reference server on 127.0.0.1:{@code port} (0: a free one) over {@code book}. */
    static MeteringGrpcServer startMetering(int port, MeteringBook book) {
        return rebinding(port, () -> new MeteringGrpcServer(MeteringServerConfig.loopback(port), book, List.of()).start());
    }

    /** An oversight reference server on 127.0.0.1:{@code port} (0: a free one) over {@code authority}. */
    static OversightGrpcServer startOversight(int port, OversightAuthority authority) {
        return rebinding(port, () -> {
            try {
                return new OversightGrpcServer(OversightServerConfig.loopback(port)
                        .withShutdownGrace(Duration.ofSeconds(1)), authority).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Binding a port just released may fail for a moment: retried, bounded. */
    private static <S> S rebinding(int port, Supplier<S> start) {
        long deadline = System.nanoTime() + REBIND_TIMEOUT.toNanos();
        while (true) {
            try {
                return start.get();
            } catch (RuntimeException e) {
                if (port == 0 || System.nanoTime() >= deadline) {
                    throw e;
                }
                sleep(100);
            }
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // cleaning up after a test: the failure that matters was reported already
        }
    }
}
