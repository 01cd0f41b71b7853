package org.tradingdemo.launcher;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import org.tradingdemo.app.TradingStore;
import org.tradingdemo.app.port.in.ProvisionUsersUseCase;
import org.tradingdemo.app.port.in.ProvisionUsersUseCase.Credentials;
import org.tradingdemo.domain.model.Role;
import org.tradingdemo.domain.model.User;
import org.tradingdemo.domain.model.UserId;

/**
 * The four accounts a fresh installation starts with - {@code admin}, {@code trader},
 * {@code approver}, {@code viewer}, one per role - and the file that lets a second process
 * ({@code token}) find them.
 */
final class DemoUsers {

    /** The demo user of each role is named after it. */
    static final List<Role> ROLES = List.of(Role.ADMIN, Role.TRADER, Role.APPROVER, Role.VIEWER);
    static final String IDS_FILE = "demo-users";
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private static final int GENERATED_LENGTH = 20;
    /** Stands in for the hash a {@link User} must carry; a token never contains it. */
    private static final String NO_PASSWORD_HASH = "not-available-outside-the-server";

    private DemoUsers() {
    }

    /** A demo account as created at first start; {@code generated} passwords are the ones to print. */
    record Credential(String username, Role role, Secret password, boolean generated) {
    }

    static String username(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    static Optional<Role> roleOf(String username) {
        return ROLES.stream().filter(r -> username(r).equals(username)).findFirst();
    }

    /**
     * Creates the demo users when the store has no users yet.
     *
     * @return the accounts created (empty when the store already had users: not a first start)
     */
    static List<Credential> provision(ProvisionUsersUseCase provisioning, ServiceConfig config) {
        SecureRandom random = new SecureRandom();
        List<Credential> credentials = new ArrayList<>();
        Map<String, Credentials> accounts = new LinkedHashMap<>();
        for (Role role : ROLES) {
            Optional<Secret> configured = config.demoPassword(role);
            Secret password = configured.orElseGet(() -> generatePassword(random));
            credentials.add(new Credential(username(role), role, password, configured.isEmpty()));
            accounts.put(username(role), new Credentials(role, password.chars()));
        }
        return provisioning.provisionIfEmpty(accounts) ? List.copyOf(credentials) : List.of();
    }

    private static Secret generatePassword(SecureRandom random) {
        StringBuilder sb = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return Secret.of(sb.toString());
    }

    /**
     * Records the ids the demo users have in the running server's store, so {@code token} can sign
     * a token for the same identity (the JWT's {@code sub} is the user id, and ownership of agents
     * follows it). With the in-memory store the ids are new on every start, so this is rewritten
     * on every start; a persistent store would let {@code token} read its users table instead.
     */
    static void writeIds(TradingStore store, Path dataDir) {
        Properties ids = new Properties();
        for (Role role : ROLES) {
            store.users().findByUsername(username(role)).ifPresent(u -> ids.setProperty(u.username(), u.id().value()));
        }
        Path file = dataDir.resolve(IDS_FILE);
        try {
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, IDS_FILE, ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                ids.store(w, "ids of the demo users in the running server's store (read by the token command)");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ConfigException("cannot write " + file + ": " + e.getMessage()
                    + " (set DB_PATH to a writable folder)", e);
        }
    }

    /**
     * The demo user as the server knows it, for signing a token. Only id, name and role matter to a
     * token; the password hash stays in the server's store.
     */
    static User forToken(Path dataDir, String username) {
        Role role = roleOf(username).orElseThrow(() -> new ConfigException("--user must be one of admin, trader, "
                + "approver, viewer, got \"" + username + "\""));
        Path file = dataDir.resolve(IDS_FILE);
        if (!Files.exists(file)) {
            throw new ConfigException("no demo users recorded in " + file
                    + "; start the server (serve) once with the same DB_PATH first");
        }
        Properties ids = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            ids.load(r);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
        String id = ids.getProperty(username);
        if (id == null) {
            throw new ConfigException("the demo user " + username + " is not recorded in " + file);
        }
        return new User(UserId.of(id), username, NO_PASSWORD_HASH, role, Instant.EPOCH);
    }
}
