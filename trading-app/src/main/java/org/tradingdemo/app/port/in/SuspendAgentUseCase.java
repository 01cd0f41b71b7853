package org.tradingdemo.app.port.in;

/** active → suspended: the agent keeps its trades but may not submit new ones. */
public interface SuspendAgentUseCase {

    AgentStatusResult suspend(AgentCommand command);
}
