package org.tradingdemo.app.port.in;

/** active|suspended → terminated, final: its open trades are cancelled and their reservations released, in one transaction. */
public interface TerminateAgentUseCase {

    AgentStatusResult terminate(AgentCommand command);
}
