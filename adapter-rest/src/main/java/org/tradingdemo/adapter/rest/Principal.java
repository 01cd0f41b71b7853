package org.tradingdemo.adapter.rest;

import java.util.Objects;
import java.util.Set;

import org.tradingdemo.app.port.in.Actor;
import org.tradingdemo.domain.model.Role;
import org.tradingdemo.domain.model.UserId;

/** The authenticated caller of one request, read from a verified token. */
public record Principal(UserId userId, String username, Role role, Set<Scope> scopes) {

    public Principal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(role, "role");
        scopes = Set.copyOf(scopes);
    }

    public boolean has(Scope scope) {
        return scopes.contains(scope) || scopes.contains(Scope.ADMIN);
    }

    /** What the use cases need to know: who, and whether they see every agent. */
    public Actor actor() {
        return new Actor(userId, role.seesAll());
    }
}
