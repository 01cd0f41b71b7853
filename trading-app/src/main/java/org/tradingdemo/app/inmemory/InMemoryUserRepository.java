package org.tradingdemo.app.inmemory;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.tradingdemo.domain.model.User;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.UserRepository;

/** Users in memory with a unique username index, kept at commit. */
public final class InMemoryUserRepository implements UserRepository {

    private final InMemoryTable<UserId, User> users;
    private final Map<String, UserId> byUsername = new ConcurrentHashMap<>();

    public InMemoryUserRepository(InMemoryTransactions transactions) {
        this.users = new InMemoryTable<>(transactions, "users");
        users.beforeCommit(staged -> staged.values().forEach(this::requireFreeUsername));
        users.onCommit((id, before, after) -> {
            before.ifPresent(b -> byUsername.remove(b.username(), b.id()));
            byUsername.put(after.username(), after.id());
        });
    }

    @Override
    public void save(User user) {
        requireFreeUsername(user);
        users.put(user.id(), user);
    }

    @Override
    public Optional<User> findById(UserId id) {
        return users.get(id);
    }

    @Override
    public Optional<User> findByUsername(String username) {
        for (User staged : users.staged().values()) {
            if (staged.username().equals(username)) {
                return Optional.of(staged);
            }
        }
        UserId id = byUsername.get(username);
        return id == null ? Optional.empty() : users.get(id);
    }

    @Override
    public long count() {
        return byUsername.size() + users.staged().keySet().stream().filter(id -> users.getCommitted(id).isEmpty()).count();
    }

    private void requireFreeUsername(User user) {
        UserId holder = byUsername.get(user.username());
        if (holder != null && !holder.equals(user.id())) {
            throw new IllegalStateException("username " + user.username() + " is taken");
        }
    }
}
