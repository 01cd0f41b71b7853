package org.tradingdemo.app.port.in;

import java.util.Map;

import org.tradingdemo.domain.model.Role;

/** Creates the accounts a fresh installation starts with. */
public interface ProvisionUsersUseCase {

    /**
     * Creates each named user with its role and password when no user exists yet (first start).
     *
     * @param users username → (role, password)
     * @return true when the users were created, false when the store already had users
     */
    boolean provisionIfEmpty(Map<String, Credentials> users);

    record Credentials(Role role, char[] password) {
    }
}
