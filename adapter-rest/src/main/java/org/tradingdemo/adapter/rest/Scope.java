package org.tradingdemo.adapter.rest;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.tradingdemo.domain.model.Role;

/**
 * The permissions a token carries. Roles map to scopes here, in the adapter that authenticates;
 * the use cases only see an {@code Actor}.
 *
 * <table>
 *   <tr><th>scope</th><th>allows</th></tr>
 *   <tr><td>read</td><td>every GET</td></tr>
 *   <tr><td>agent:create</td><td>create, suspend and resume agents</td></tr>
 *   <tr><td>agent:terminate</td><td>terminate agents</td></tr>
 *   <tr><td>trade:submit</td><td>submit and cancel trades, raise alerts</td></tr>
 *   <tr><td>oversight:approve</td><td>approve and reject requests, acknowledge alerts</td></tr>
 *   <tr><td>admin</td><td>everything</td></tr>
 * </table>
 */
public enum Scope {
    AGENT_CREATE("agent:create"),
    AGENT_TERMINATE("agent:terminate"),
    TRADE_SUBMIT("trade:submit"),
    OVERSIGHT_APPROVE("oversight:approve"),
    READ("read"),
    ADMIN("admin");

    private final String wire;

    Scope(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<Scope> fromWire(String text) {
        for (Scope s : values()) {
            if (s.wire.equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** admin: all; trader: read, agent:create, agent:terminate, trade:submit; approver: read, oversight:approve; viewer: read. */
    public static Set<Scope> forRole(Role role) {
        return switch (role) {
            case ADMIN -> EnumSet.allOf(Scope.class);
            case TRADER -> EnumSet.of(READ, AGENT_CREATE, AGENT_TERMINATE, TRADE_SUBMIT);
            case APPROVER -> EnumSet.of(READ, OVERSIGHT_APPROVE);
            case VIEWER -> EnumSet.of(READ);
        };
    }
}
