package org.tradingdemo.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/**
 * Every log event of this JVM at WARN or above (the root level of logback-test.xml) while open: a
 * {@link ListAppender} on the root logger. Tests scan it for what must never be logged.
 */
final class LogCapture implements AutoCloseable {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
        appender.setContext(root.getLoggerContext());
        appender.setName("e2e-capture-" + System.identityHashCode(this));
        appender.start();
        root.addAppender(appender);
    }

    /** A copy of the events so far. */
    List<ILoggingEvent> events() {
        synchronized (appender.list) {
            return new ArrayList<>(appender.list);
        }
    }

    /** The events at WARN or above, each as one line of text (level, logger, message, causes). */
    List<String> warnings() {
        return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).map(LogCapture::describe)
                .toList();
    }

    /** The warnings whose text (message and every cause) contains one of the needles, case-insensitively. */
    List<String> mentioning(String... needles) {
        Predicate<String> hit = line -> {
            String lower = line.toLowerCase(Locale.ROOT);
            for (String n : needles) {
                if (lower.contains(n.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
            return false;
        };
        return events().stream().map(LogCapture::describe).filter(hit).toList();
    }

    static String describe(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder().append(e.getLevel()).append(' ').append(e.getLoggerName()).append(" - ")
                .append(e.getFormattedMessage());
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            sb.append(" | caused by ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        return sb.toString();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
