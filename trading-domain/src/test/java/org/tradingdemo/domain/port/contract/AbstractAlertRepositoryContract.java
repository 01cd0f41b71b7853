package org.tradingdemo.domain.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tradingdemo.domain.port.contract.TestData.T0;
import static org.tradingdemo.domain.port.contract.TestData.alert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.Alert;
import org.tradingdemo.domain.model.AlertId;
import org.tradingdemo.domain.model.AlertSeverity;
import org.tradingdemo.domain.model.Page;
import org.tradingdemo.domain.model.PageRequest;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.AlertRepository;
import org.tradingdemo.domain.port.AlertRepository.AlertQuery;

/**
 * What every {@link AlertRepository} must do. Subclass once per adapter. Lists are always scoped to
 * fresh agents; because such a query also returns alerts about no agent, which other tests may have
 * left in a shared store, assertions look only at this test's alerts.
 */
public abstract class AbstractAlertRepositoryContract<T extends AlertRepository> {

    protected static final Comparator<Alert> NEWEST_FIRST =
            Comparator.comparing(Alert::createdAt).thenComparing(a -> a.id().value()).reversed();

    protected T repository;

    /** A repository to test; it may share its store with other tests. */
    protected abstract T create();

    @BeforeEach
    void setUpRepository() {
        repository = create();
    }

    @Test
    void savedAlertIsFoundEqual() {
        Alert aboutAgent = alert().build();
        Alert general = alert().noAgent().severity(AlertSeverity.CRITICAL).type("risk_limit").message("Metering is down").build();
        Alert acknowledged = alert().acknowledged(true).build();

        List.of(aboutAgent, general, acknowledged).forEach(repository::save);

        assertEquals(Optional.of(aboutAgent), repository.findById(aboutAgent.id()));
        assertEquals(Optional.of(general), repository.findById(general.id()));
        assertEquals(Optional.of(acknowledged), repository.findById(acknowledged.id()));
    }

    @Test
    void saveReplacesAnAcknowledgedAlert() {
        Alert raised = alert().build();
        repository.save(raised);
        Alert acknowledged = raised.acknowledge(UserId.of("admin-1"), T0.plusSeconds(30));

        repository.save(acknowledged);

        assertEquals(Optional.of(acknowledged), repository.findById(raised.id()));
        AgentId agent = raised.agentId().orElseThrow();
        assertEquals(List.of(acknowledged), mine(query(Optional.of(true), Optional.empty(), Set.of(agent), 10), Set.of(raised.id())));
        assertEquals(List.of(), mine(query(Optional.of(false), Optional.empty(), Set.of(agent), 10), Set.of(raised.id())));
    }

    @Test
    void unknownIdIsEmpty() {
        assertEquals(Optional.empty(), repository.findById(AlertId.of(TestData.unique("alert"))));
    }

    @Test
    void listFiltersByAcknowledgementSeverityAndAgents() {
        AgentId agent = TestData.newAgentId();
        Alert open = alert().agentId(agent).createdAt(T0).build();
        Alert critical = alert().agentId(agent).severity(AlertSeverity.CRITICAL).createdAt(T0.plusSeconds(1)).build();
        Alert acked = alert().agentId(agent).acknowledged(true).createdAt(T0.plusSeconds(2)).build();
        Alert general = alert().noAgent().createdAt(T0.plusSeconds(3)).build();
        Alert otherAgent = alert().createdAt(T0.plusSeconds(4)).build();
        List.of(open, critical, acked, general, otherAgent).forEach(repository::save);
        Set<AlertId> ids = Set.of(open.id(), critical.id(), acked.id(), general.id(), otherAgent.id());

        assertEquals(List.of(general, acked, critical, open),
                mine(query(Optional.empty(), Optional.empty(), Set.of(agent), 50), ids));
        assertEquals(List.of(general, critical, open),
                mine(query(Optional.of(false), Optional.empty(), Set.of(agent), 50), ids));
        assertEquals(List.of(critical),
                mine(query(Optional.empty(), Optional.of(AlertSeverity.CRITICAL), Set.of(agent), 50), ids));
        assertEquals(List.of(otherAgent, general, acked, critical, open),
                mine(query(Optional.empty(), Optional.empty(), Set.of(agent, otherAgent.agentId().orElseThrow()), 50), ids));
    }

    @Test
    void pagesAreNewestFirstWithoutGapsOrDuplicatesAndTiesBrokenById() {
        AgentId agent = TestData.newAgentId();
        List<Alert> saved = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            saved.add(alert().agentId(agent).createdAt(T0.plusMillis(i / 2)).build());
        }
        saved.forEach(repository::save);
        Set<AlertId> ids = new HashSet<>();
        saved.forEach(a -> ids.add(a.id()));

        List<Alert> everything = all(query(Optional.empty(), Optional.empty(), Set.of(agent), 3));

        assertEquals(saved.stream().sorted(NEWEST_FIRST).toList(), everything.stream().filter(a -> ids.contains(a.id())).toList());
        assertEquals(everything.size(), new HashSet<>(everything).size(), "no alert twice");
        assertEquals(everything.stream().sorted(NEWEST_FIRST).toList(), everything, "pages continue in order");
    }

    @Test
    void aFirstPageSaysWhetherMoreExist() {
        AgentId agent = TestData.newAgentId();
        repository.save(alert().agentId(agent).severity(AlertSeverity.INFO).createdAt(T0).build());
        repository.save(alert().agentId(agent).severity(AlertSeverity.INFO).createdAt(T0.plusSeconds(1)).build());

        Page<Alert> page = repository.list(new AlertQuery(Optional.empty(), Optional.of(AlertSeverity.INFO),
                Optional.of(Set.of(agent)), PageRequest.first(1)));

        assertEquals(1, page.items().size());
        assertTrue(page.next().isPresent());
    }

    protected static AlertQuery query(Optional<Boolean> acknowledged, Optional<AlertSeverity> severity,
                                      Set<AgentId> agents, int limit) {
        return new AlertQuery(acknowledged, severity, Optional.of(agents), PageRequest.first(limit));
    }

    /** This test's alerts among every result of the query, in list order. */
    protected List<Alert> mine(AlertQuery query, Set<AlertId> ids) {
        return all(query).stream().filter(a -> ids.contains(a.id())).toList();
    }

    /** Every item of the query, following next cursors. */
    protected List<Alert> all(AlertQuery q) {
        List<Alert> items = new ArrayList<>();
        Page<Alert> page = repository.list(q);
        items.addAll(page.items());
        while (page.next().isPresent()) {
            page = repository.list(new AlertQuery(q.acknowledged(), q.severity(), q.agentIds(),
                    new PageRequest(page.next(), q.page().limit())));
            items.addAll(page.items());
        }
        return items;
    }
}
