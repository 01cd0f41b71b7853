package org.tradingdemo.app.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tradingdemo.app.port.in.AuthenticateUseCase;
import org.tradingdemo.app.port.in.ProvisionUsersUseCase;
import org.tradingdemo.domain.model.User;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.PasswordHasher;
import org.tradingdemo.domain.port.Transactions;
import org.tradingdemo.domain.port.UserRepository;

/** Logging in and the first-start accounts. Passwords are only ever hashed, never stored or logged. */
public final class UserAccountService implements AuthenticateUseCase, ProvisionUsersUseCase {

    private final UserRepository users;
    private final PasswordHasher hasher;
    private final Transactions tx;
    private final IdGenerator ids;
    private final Clock clock;
    /** Compared against when the user does not exist, so both paths do the same hashing work. */
    private volatile String decoyHash;

    public UserAccountService(UserRepository users, PasswordHasher hasher, Transactions tx, IdGenerator ids,
                              Clock clock) {
        this.users = users;
        this.hasher = hasher;
        this.tx = tx;
        this.ids = ids;
        this.clock = clock;
    }

    @Override
    public Optional<User> authenticate(String username, char[] password) {
        Optional<User> user = username == null ? Optional.empty() : users.findByUsername(username);
        boolean ok = hasher.matches(password, user.map(User::passwordHash).orElseGet(this::decoy));
        return ok ? user : Optional.empty();
    }

    private String decoy() {
        String d = decoyHash;
        if (d == null) {
            d = hasher.hash("decoy-password-never-valid".toCharArray());
            decoyHash = d;
        }
        return d;
    }

    @Override
    public synchronized boolean provisionIfEmpty(Map<String, Credentials> accounts) {
        if (users.count() > 0) {
            return false;
        }
        // hash first: a transaction may run on a store's single writer thread, which must not wait on PBKDF2
        List<User> created = new ArrayList<>();
        accounts.forEach((username, c) -> created.add(new User(new UserId(ids.newId()), username,
                hasher.hash(c.password()), c.role(), clock.instant())));
        tx.run(() -> created.forEach(users::save));
        return true;
    }
}
