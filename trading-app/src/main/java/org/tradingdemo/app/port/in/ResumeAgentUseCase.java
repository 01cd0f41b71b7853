package org.tradingdemo.app.port.in;

/** suspended → active. */
public interface ResumeAgentUseCase {

    AgentStatusResult resume(AgentCommand command);
}
