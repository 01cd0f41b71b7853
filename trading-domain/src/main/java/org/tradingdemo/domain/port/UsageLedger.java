package org.tradingdemo.domain.port;

import java.time.Instant;
import java.util.Map;

import org.tradingdemo.domain.model.AgentId;
import org.tradingdemo.domain.model.UsageRecord;
import org.tradingdemo.domain.model.UsageTotals;

/** The append-only record of metered events; the source of usage reports and of the local quota. */
public interface UsageLedger {

    /** Appends the record unless its event id is already present. @return false for a duplicate */
    boolean append(UsageRecord record);

    /** Totals of one agent over [from, to). */
    UsageTotals totals(AgentId agentId, Instant from, Instant to);

    /** Totals of every agent with usage over [from, to). */
    Map<AgentId, UsageTotals> totalsByAgent(Instant from, Instant to);
}
