package org.tradingdemo.adapter.rest;

import static org.mockito.Mockito.mock;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.LoggerFactory;
import org.tradingdemo.app.port.in.AcknowledgeAlertUseCase;
import org.tradingdemo.app.port.in.AuthenticateUseCase;
import org.tradingdemo.app.port.in.CancelTradeUseCase;
import org.tradingdemo.app.port.in.CreateAgentUseCase;
import org.tradingdemo.app.port.in.DecideOversightRequestUseCase;
import org.tradingdemo.app.port.in.GetAgentUsageUseCase;
import org.tradingdemo.app.port.in.GetAgentUseCase;
import org.tradingdemo.app.port.in.GetCostReportUseCase;
import org.tradingdemo.app.port.in.GetOversightRequestUseCase;
import org.tradingdemo.app.port.in.GetPortfolioUseCase;
import org.tradingdemo.app.port.in.GetTradeUseCase;
import org.tradingdemo.app.port.in.GetUsageSummaryUseCase;
import org.tradingdemo.app.port.in.ListAgentsUseCase;
import org.tradingdemo.app.port.in.ListAlertsUseCase;
import org.tradingdemo.app.port.in.ListOversightRequestsUseCase;
import org.tradingdemo.app.port.in.ListTradesUseCase;
import org.tradingdemo.app.port.in.RaiseAlertUseCase;
import org.tradingdemo.app.port.in.ResumeAgentUseCase;
import org.tradingdemo.app.port.in.SubmitTradeUseCase;
import org.tradingdemo.app.port.in.SuspendAgentUseCase;
import org.tradingdemo.app.port.in.TerminateAgentUseCase;

/** What the ops tests share: servers on 127.0.0.1:0, a small HTTP client and captured log lines. */
final class OpsTestSupport {

    static final String SECRET = "ops-test-secret-0123456789abcdef-0123456789";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OpsTestSupport() {
    }

    static RestUseCases mockedUseCases() {
        return new RestUseCases(mock(AuthenticateUseCase.class), mock(CreateAgentUseCase.class),
                mock(GetAgentUseCase.class), mock(ListAgentsUseCase.class), mock(SuspendAgentUseCase.class),
                mock(ResumeAgentUseCase.class), mock(TerminateAgentUseCase.class), mock(SubmitTradeUseCase.class),
                mock(GetTradeUseCase.class), mock(ListTradesUseCase.class), mock(CancelTradeUseCase.class),
                mock(GetPortfolioUseCase.class), mock(GetAgentUsageUseCase.class), mock(GetUsageSummaryUseCase.class),
                mock(GetCostReportUseCase.class), mock(ListOversightRequestsUseCase.class),
                mock(GetOversightRequestUseCase.class), mock(DecideOversightRequestUseCase.class),
                mock(RaiseAlertUseCase.class), mock(ListAlertsUseCase.class), mock(AcknowledgeAlertUseCase.class));
    }

    static PrometheusMeterRegistry registry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** The whole API as the launcher builds it, with mocked use cases (not started). */
    static Javalin fullApi(List<ReadinessCheck> readiness, PrometheusMeterRegistry registry) {
        return RestApi.create(mockedUseCases(), RestSettings.defaults(SECRET, Clock.systemUTC()), readiness, registry);
    }

    /** A bare app configured like RestApi's, for testing one piece of the pipeline (not started). */
    static Javalin bareApp() {
        return Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(JsonSupport.mapper(), false));
            config.http.defaultContentType = "application/json";
            config.router.ignoreTrailingSlashes = true;
        });
    }

    static String start(Javalin app) {
        app.start("127.0.0.1", 0);
        return "http://127.0.0.1:" + app.port();
    }

    static HttpResponse<String> get(String base, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /**
     * Log events of one logger, captured at INFO or finer for the duration of a test. The MDC is
     * copied when the event is appended (on the server's thread), not when the test reads it.
     */
    static final class CapturedLogs implements AutoCloseable {

        private final Logger logger;
        private final Level previous;
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing();
                super.append(event);
            }
        };

        CapturedLogs(String loggerName) {
            logger = (Logger) LoggerFactory.getLogger(loggerName);
            previous = logger.getLevel();
            appender.list = Collections.synchronizedList(appender.list);
            appender.start();
            logger.setLevel(Level.INFO);
            logger.addAppender(appender);
        }

        List<ILoggingEvent> events() {
            synchronized (appender.list) {
                return List.copyOf(appender.list);
            }
        }

        /** The first event matching, waiting briefly: after-handlers may finish just after the response. */
        Optional<ILoggingEvent> await(Predicate<ILoggingEvent> match) {
            long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            do {
                Optional<ILoggingEvent> found = events().stream().filter(match).findFirst();
                if (found.isPresent()) {
                    return found;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
            } while (System.nanoTime() < deadline);
            return Optional.empty();
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            logger.setLevel(previous);
            appender.stop();
        }
    }
}
