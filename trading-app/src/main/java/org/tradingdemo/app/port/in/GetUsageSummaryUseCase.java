package org.tradingdemo.app.port.in;

import org.tradingdemo.domain.model.UsagePeriod;

/** Aggregate usage over the agents the actor may see (admins: all). */
public interface GetUsageSummaryUseCase {

    UsageSummary summary(Actor actor, UsagePeriod period);
}
