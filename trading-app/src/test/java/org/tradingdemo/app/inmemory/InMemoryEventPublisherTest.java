package org.tradingdemo.app.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.tradingdemo.domain.event.AlertRaised;
import org.tradingdemo.domain.event.DomainEvent;
import org.tradingdemo.domain.port.contract.TestData;

class InMemoryEventPublisherTest {

    private static DomainEvent event(int n) {
        return new AlertRaised(TestData.alert().build(), TestData.T0.plusSeconds(n));
    }

    @Test
    void everySubscriberGetsEveryEventInOrder() {
        InMemoryEventPublisher publisher = new InMemoryEventPublisher();
        List<DomainEvent> first = new ArrayList<>();
        List<DomainEvent> second = new ArrayList<>();
        publisher.subscribe(first::add);
        publisher.subscribe(second::add);

        publisher.publish(event(1));
        publisher.publish(event(2));

        assertEquals(publisher.recent(), first);
        assertEquals(first, second);
        assertEquals(2, first.size());
    }

    @Test
    void aFailingSubscriberDoesNotStopTheOthersOrThePublisher() {
        InMemoryEventPublisher publisher = new InMemoryEventPublisher();
        List<DomainEvent> before = new ArrayList<>();
        List<DomainEvent> after = new ArrayList<>();
        publisher.subscribe(before::add);
        publisher.subscribe(e -> {
            throw new IllegalStateException("subscriber bug");
        });
        publisher.subscribe(after::add);

        DomainEvent e = event(1);
        publisher.publish(e);

        assertEquals(List.of(e), before);
        assertEquals(List.of(e), after);
    }

    @Test
    void closingASubscriptionStopsDeliveryToItOnly() {
        InMemoryEventPublisher publisher = new InMemoryEventPublisher();
        List<DomainEvent> kept = new ArrayList<>();
        List<DomainEvent> dropped = new ArrayList<>();
        publisher.subscribe(kept::add);
        InMemoryEventPublisher.Subscription subscription = publisher.subscribe(dropped::add);

        publisher.publish(event(1));
        subscription.close();
        subscription.close();
        publisher.publish(event(2));

        assertEquals(2, kept.size());
        assertEquals(1, dropped.size());
    }

    @Test
    void theSameConsumerSubscribedTwiceIsTwoSubscriptions() {
        InMemoryEventPublisher publisher = new InMemoryEventPublisher();
        List<DomainEvent> got = new ArrayList<>();
        java.util.function.Consumer<DomainEvent> consumer = got::add;
        InMemoryEventPublisher.Subscription one = publisher.subscribe(consumer);
        publisher.subscribe(consumer);

        one.close();
        publisher.publish(event(1));

        assertEquals(1, got.size());
    }

    @Test
    void recentKeepsOnlyTheLastEvents() {
        InMemoryEventPublisher publisher = new InMemoryEventPublisher(3);
        List<DomainEvent> events = IntStream.range(0, 5).mapToObj(InMemoryEventPublisherTest::event).toList();

        events.forEach(publisher::publish);

        assertEquals(events.subList(2, 5), publisher.recent());
        assertEquals(InMemoryEventPublisher.DEFAULT_CAPACITY, 1000);
        assertThrows(IllegalArgumentException.class, () -> new InMemoryEventPublisher(0));
    }
}
