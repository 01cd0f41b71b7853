package org.tradingdemo.domain.port;

import java.util.Optional;

import org.tradingdemo.domain.model.User;
import org.tradingdemo.domain.model.UserId;

/** Stores the people who log in; usernames are unique. */
public interface UserRepository {

    /**
     * Inserts or replaces the user with this id.
     *
     * @throws IllegalStateException when another user already has the username
     */
    void save(User user);

    Optional<User> findById(UserId id);

    Optional<User> findByUsername(String username);

    long count();
}
