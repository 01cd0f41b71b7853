package org.tradingdemo.app.inmemory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SequentialIdGeneratorTest {

    @Test
    void countsFromOneWithSixDigits() {
        SequentialIdGenerator ids = new SequentialIdGenerator("trade");

        assertEquals("trade-000001", ids.newId());
        assertEquals("trade-000002", ids.newId());
    }

    @Test
    void isUniqueAcrossEightThreads() throws Exception {
        TimeOrderedIdGeneratorTest.assertUniqueAcrossThreads(new SequentialIdGenerator("t")::newId);
    }

    @Test
    void refusesPrefixesThatWouldMakeInvalidIds() {
        assertThrows(IllegalArgumentException.class, () -> new SequentialIdGenerator(""));
        assertThrows(IllegalArgumentException.class, () -> new SequentialIdGenerator("has space"));
        assertThrows(IllegalArgumentException.class, () -> new SequentialIdGenerator("x".repeat(41)));
    }
}
