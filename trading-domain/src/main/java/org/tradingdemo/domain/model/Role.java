package org.tradingdemo.domain.model;

/**
 * What a user is for. Admins, approvers and viewers see every agent; traders only their own.
 * The driving adapters map roles to their own permission model (scopes).
 */
public enum Role implements WireName {
    ADMIN, TRADER, APPROVER, VIEWER;

    /** Whether this role sees every agent rather than only the user's own. */
    public boolean seesAll() {
        return this != TRADER;
    }

    public static Role parse(String value) {
        return WireName.parse(Role.class, value, "role");
    }
}
