package org.tradingdemo.app.port.in;

import java.util.Optional;

import org.tradingdemo.domain.model.OversightRequest;
import org.tradingdemo.domain.model.OversightRequestId;

public interface GetOversightRequestUseCase {

    Optional<OversightRequest> get(Actor actor, OversightRequestId requestId);
}
