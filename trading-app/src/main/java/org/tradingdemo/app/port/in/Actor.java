package org.tradingdemo.app.port.in;

import java.util.Objects;

import org.tradingdemo.domain.model.Agent;
import org.tradingdemo.domain.model.UserId;

/**
 * Who is asking. A use case needs only two facts about the caller: their id (ownership, the
 * no-self-approval rule, audit) and whether they may see every agent or only their own. Scopes and
 * roles stay in the driving adapter that authenticated the caller.
 *
 * @param seesAll true for admins, approvers and viewers; false for traders, who see only their own agents
 */
public record Actor(UserId userId, boolean seesAll) {

    public Actor {
        Objects.requireNonNull(userId, "userId");
    }

    /** A trader: sees and acts on their own agents only. */
    public static Actor owner(UserId userId) {
        return new Actor(userId, false);
    }

    /** An admin, approver or viewer: sees every agent. */
    public static Actor supervisor(UserId userId) {
        return new Actor(userId, true);
    }

    /** A component of the system itself (the expiry scheduler, an external oversight service). */
    public static Actor system(String name) {
        return new Actor(UserId.of("system:" + name), true);
    }

    public boolean canSee(Agent agent) {
        return seesAll || agent.isOwnedBy(userId);
    }
}
