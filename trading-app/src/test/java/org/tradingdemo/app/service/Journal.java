package org.tradingdemo.app.service;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.RETURNS_DEFAULTS;
import static org.mockito.Mockito.lenient;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.mockito.stubbing.Answer;
import org.tradingdemo.domain.event.DomainEvent;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.NotificationPort;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.PortfolioRepository;
import org.tradingdemo.domain.port.QuotaPort;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.UsageLedger;

/**
 * One timeline of what the ports saw, across mocks and the transaction fake, so a test can state
 * "these writes happened between begin and commit, and the events only after it" in one assertion.
 */
public final class Journal {

    private final List<String> entries = new CopyOnWriteArrayList<>();

    public void add(String entry) {
        entries.add(entry);
    }

    public List<String> entries() {
        return List.copyOf(entries);
    }

    /** An answer that notes {@code label}, then behaves like an unstubbed mock (null, false, 0...). */
    public Answer<Object> notes(String label) {
        return invocation -> {
            add(label);
            return RETURNS_DEFAULTS.answer(invocation);
        };
    }

    /** For {@code EventPublisher.publish}: notes {@code "publish <event type>"}. */
    public Answer<Object> notesPublish() {
        return invocation -> {
            add("publish " + invocation.<DomainEvent>getArgument(0).type());
            return null;
        };
    }

    /**
     * Notes every write and every effect that leaves the use case (saves, ledger appends, quota
     * completion and release, reports to oversight, events, notifications) on the given port mocks.
     * Reads are not noted. Lenient: a test that never reaches a port does not fail for it; a test
     * may still override one of these with its own {@code doThrow}.
     */
    public Journal watch(Object... portMocks) {
        for (Object port : portMocks) {
            if (port instanceof AgentRepository agents) {
                lenient().doAnswer(notes("agents.save")).when(agents).save(any());
            } else if (port instanceof TradeRepository trades) {
                lenient().doAnswer(notes("trades.save")).when(trades).save(any());
            } else if (port instanceof PortfolioRepository portfolios) {
                lenient().doAnswer(notes("portfolios.save")).when(portfolios).save(any());
            } else if (port instanceof OversightRequestRepository requests) {
                lenient().doAnswer(notes("requests.save")).when(requests).save(any());
            } else if (port instanceof AlertRepository alerts) {
                lenient().doAnswer(notes("alerts.save")).when(alerts).save(any());
            } else if (port instanceof UsageLedger ledger) {
                lenient().doAnswer(notes("ledger.append")).when(ledger).append(any());
            } else if (port instanceof QuotaPort quota) {
                lenient().doAnswer(notes("quota.complete")).when(quota).complete(any());
                lenient().doAnswer(notes("quota.release")).when(quota).release(any());
            } else if (port instanceof ApprovalPort approval) {
                lenient().doAnswer(notes("approval.submit")).when(approval).submit(any(), any());
                lenient().doAnswer(notes("approval.reportDecision")).when(approval).reportDecision(any());
            } else if (port instanceof EventPublisher events) {
                lenient().doAnswer(notesPublish()).when(events).publish(any());
            } else if (port instanceof NotificationPort notifier) {
                lenient().doAnswer(invocation -> {
                    add("notify " + invocation.<Notification>getArgument(0).getClass().getSimpleName());
                    return null;
                }).when(notifier).send(any());
            } else {
                throw new IllegalArgumentException("not a watched port: " + port);
            }
        }
        return this;
    }
}
