package org.tradingdemo.app.port.in;

import java.util.Optional;

import org.tradingdemo.domain.model.User;

/** Checks a username and password. */
public interface AuthenticateUseCase {

    /**
     * Empty for an unknown user or a wrong password (not told apart). Takes about as long either way,
     * so the answer's timing does not reveal which usernames exist.
     */
    Optional<User> authenticate(String username, char[] password);
}
