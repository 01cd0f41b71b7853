package org.tradingdemo.app.service;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.RETURNS_DEFAULTS;
import static org.mockito.Mockito.lenient;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.mockito.stubbing.Answer;
import org.tradingdemo.domain.event.DomainEvent;
import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.OutboxMessage;
import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.Trade;
import org.tradingdemo.domain.port.AgentRepository;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.ApprovalPort;
import org.tradingdemo.domain.port.EventPublisher;
import org.tradingdemo.domain.port.Notification;
import org.tradingdemo.domain.port.NotificationPort;
import org.tradingdemo.domain.port.Outbox;
import org.tradingdemo.domain.port.OversightRequestRepository;
import org.tradingdemo.domain.port.PortfolioRepository;
import org.tradingdemo.domain.port.QuotaPort;
import org.tradingdemo.domain.port.TradeRepository;
import org.tradingdemo.domain.port.UsageLedger;

/**
 * One timeline of what the ports saw, across mocks and the transaction fake, so a test can state
 * "these writes happened between begin and commit, and the events only after it" in one assertion.
 *
 * <p>It also remembers the last entity each watched repository saved, so a repository mock can
 * answer {@code findById} with it ({@link #saved()}, {@link #savedOr}) the way a store does after
 * commit: the {@link OutboxRelay} reads the current trade / request / alert when it delivers.
 */
public final class Journal {

    private final List<String> entries = new CopyOnWriteArrayList<>();
    private final Map<Object, Object> lastSaved = new ConcurrentHashMap<>();

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

    /** Like {@link #notes}, and remembers the saved entity under its id for {@link #saved()}. */
    private <T> Answer<Object> notesSave(String label, Function<T, Object> id) {
        return invocation -> {
            T entity = invocation.getArgument(0);
            lastSaved.put(id.apply(entity), entity);
            return notes(label).answer(invocation);
        };
    }

    /** For a repository's {@code findById}: what the use case saved last under the asked id, else empty. */
    public <T> Answer<Optional<T>> saved() {
        return invocation -> {
            @SuppressWarnings("unchecked")
            T value = (T) lastSaved.get(invocation.getArgument(0));
            return Optional.ofNullable(value);
        };
    }

    /** For a repository's {@code findById}: what the use case saved last under the asked id, else {@code stored}. */
    public <T> Answer<Optional<T>> savedOr(T stored) {
        Answer<Optional<T>> saved = saved();
        return invocation -> saved.answer(invocation).or(() -> Optional.of(stored));
    }

    /**
     * For {@code ApprovalPort.settle}, the local policy: notes {@code "approval.settle <wanted status>"}
     * and answers with the wanted closing (it came first).
     */
    public Answer<Object> settlesAsWanted() {
        return invocation -> {
            add("approval.settle " + invocation.<OversightRequest>getArgument(0).status().wireName());
            return invocation.getArgument(0);
        };
    }

    /**
     * For {@code ApprovalPort.settle}, an authority that had already decided: notes
     * {@code "approval.settle <wanted status>"} and answers with its own {@code outcome}.
     */
    public Answer<Object> settlesAs(OversightRequest outcome) {
        return invocation -> {
            add("approval.settle " + invocation.<OversightRequest>getArgument(0).status().wireName());
            return outcome;
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
     * Notes every write and every effect that leaves the use case (saves, ledger appends, outbox
     * appends and saves, quota completion and release, reports to oversight, events, notifications)
     * on the given port mocks. Reads are not noted. An outbox append is noted with its kind and
     * payload ({@code outbox.append quota.complete {reservationId=res-1}}) and accepted (true); an
     * outbox save with its kind and outcome ({@code outbox.save quota.complete failed}).
     * Lenient: a test that never reaches a port does not fail for it; a test may still override one
     * of these with its own {@code doThrow}.
     */
    public Journal watch(Object... portMocks) {
        for (Object port : portMocks) {
            if (port instanceof AgentRepository agents) {
                lenient().doAnswer(notesSave("agents.save", Agent::id)).when(agents).save(any());
            } else if (port instanceof TradeRepository trades) {
                lenient().doAnswer(notesSave("trades.save", Trade::id)).when(trades).save(any());
            } else if (port instanceof PortfolioRepository portfolios) {
                lenient().doAnswer(notes("portfolios.save")).when(portfolios).save(any());
            } else if (port instanceof OversightRequestRepository requests) {
                lenient().doAnswer(notesSave("requests.save", OversightRequest::id)).when(requests).save(any());
            } else if (port instanceof AlertRepository alerts) {
                lenient().doAnswer(notesSave("alerts.save", Alert::id)).when(alerts).save(any());
            } else if (port instanceof UsageLedger ledger) {
                lenient().doAnswer(notes("ledger.append")).when(ledger).append(any());
            } else if (port instanceof QuotaPort quota) {
                lenient().doAnswer(notes("quota.complete")).when(quota).complete(any());
                lenient().doAnswer(notes("quota.release")).when(quota).release(any());
            } else if (port instanceof ApprovalPort approval) {
                lenient().doAnswer(notes("approval.submit")).when(approval).submit(any(), any());
                lenient().doAnswer(notes("approval.reportDecision")).when(approval).reportDecision(any(), any());
                // a Mockito mock does not run the port's default method: answer like the local policy
                // (the wanted closing is the authoritative one); override with doReturn / doThrow
                lenient().doAnswer(settlesAsWanted()).when(approval).settle(any(), any());
            } else if (port instanceof EventPublisher events) {
                lenient().doAnswer(notesPublish()).when(events).publish(any());
            } else if (port instanceof Outbox outbox) {
                lenient().doAnswer(invocation -> {
                    OutboxMessage m = invocation.getArgument(0);
                    add("outbox.append " + m.kind() + " " + new TreeMap<>(m.payload()));
                    return true;
                }).when(outbox).append(any());
                lenient().doAnswer(invocation -> {
                    OutboxMessage m = invocation.getArgument(0);
                    add("outbox.save " + m.kind() + (m.isDelivered() ? " delivered" : " failed"));
                    return null;
                }).when(outbox).save(any());
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
