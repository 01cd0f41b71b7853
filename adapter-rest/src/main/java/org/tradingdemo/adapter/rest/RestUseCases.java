package org.tradingdemo.adapter.rest;

import java.util.Objects;

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

/** The use cases the HTTP API drives - interfaces only, so tests can hand in mocks. */
public record RestUseCases(AuthenticateUseCase authenticate, CreateAgentUseCase createAgent, GetAgentUseCase getAgent,
                           ListAgentsUseCase listAgents, SuspendAgentUseCase suspendAgent,
                           ResumeAgentUseCase resumeAgent, TerminateAgentUseCase terminateAgent,
                           SubmitTradeUseCase submitTrade, GetTradeUseCase getTrade, ListTradesUseCase listTrades,
                           CancelTradeUseCase cancelTrade, GetPortfolioUseCase getPortfolio,
                           GetAgentUsageUseCase getAgentUsage, GetUsageSummaryUseCase getUsageSummary,
                           GetCostReportUseCase getCostReport, ListOversightRequestsUseCase listOversightRequests,
                           GetOversightRequestUseCase getOversightRequest,
                           DecideOversightRequestUseCase decideOversightRequest, RaiseAlertUseCase raiseAlert,
                           ListAlertsUseCase listAlerts, AcknowledgeAlertUseCase acknowledgeAlert) {

    public RestUseCases {
        Objects.requireNonNull(authenticate);
        Objects.requireNonNull(createAgent);
        Objects.requireNonNull(getAgent);
        Objects.requireNonNull(listAgents);
        Objects.requireNonNull(suspendAgent);
        Objects.requireNonNull(resumeAgent);
        Objects.requireNonNull(terminateAgent);
        Objects.requireNonNull(submitTrade);
        Objects.requireNonNull(getTrade);
        Objects.requireNonNull(listTrades);
        Objects.requireNonNull(cancelTrade);
        Objects.requireNonNull(getPortfolio);
        Objects.requireNonNull(getAgentUsage);
        Objects.requireNonNull(getUsageSummary);
        Objects.requireNonNull(getCostReport);
        Objects.requireNonNull(listOversightRequests);
        Objects.requireNonNull(getOversightRequest);
        Objects.requireNonNull(decideOversightRequest);
        Objects.requireNonNull(raiseAlert);
        Objects.requireNonNull(listAlerts);
        Objects.requireNonNull(acknowledgeAlert);
    }
}
