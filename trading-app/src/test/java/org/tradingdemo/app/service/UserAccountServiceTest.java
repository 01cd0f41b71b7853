package org.tradingdemo.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.tradingdemo.app.service.ServiceTestData.CLOCK;
import static org.tradingdemo.app.service.ServiceTestData.NOW;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.Mock;
import org.mockito.junit.jupiter.MockitoExtension;
import org.tradingdemo.app.port.in.ProvisionUsersUseCase.Credentials;
import org.tradingdemo.domain.model.Role;
import org.tradingdemo.domain.model.User;
import org.tradingdemo.domain.model.UserId;
import org.tradingdemo.domain.port.IdGenerator;
import org.tradingdemo.domain.port.PasswordHasher;
import org.tradingdemo.domain.port.UserRepository;

@ExtendWith(MockitoExtension.class)
class UserAccountServiceTest {

    private static final User ALICE = new User(UserId.of("u-1"), "alice", "hash-of-alice", Role.TRADER, NOW);

    @Mock UserRepository users;
    @Mock PasswordHasher hasher;
    @Mock IdGenerator ids;

    private final Journal journal = new Journal();
    private InlineTransactions tx;
    private UserAccountService service;

    @BeforeEach
    void wire() {
        tx = spy(new InlineTransactions(journal));
        service = new UserAccountService(users, hasher, tx, ids, CLOCK);
    }

    @Test
    void theRightPasswordLogsIn() {
        char[] password = "s3cret".toCharArray();
        when(users.findByUsername("alice")).thenReturn(Optional.of(ALICE));
        when(hasher.matches(password, "hash-of-alice")).thenReturn(true);

        assertEquals(Optional.of(ALICE), service.authenticate("alice", password));
    }

    @Test
    void aWrongPasswordIsEmpty() {
        char[] password = "guess".toCharArray();
        when(users.findByUsername("alice")).thenReturn(Optional.of(ALICE));
        when(hasher.matches(password, "hash-of-alice")).thenReturn(false);

        assertEquals(Optional.empty(), service.authenticate("alice", password));
    }

    @Test
    void anUnknownUserCostsTheSameHashCheckAgainstOneReusedDecoy() {
        when(users.findByUsername("mallory")).thenReturn(Optional.empty());
        when(hasher.hash(any())).thenReturn("decoy-hash");
        when(hasher.matches(any(), eq("decoy-hash"))).thenReturn(false);

        assertEquals(Optional.empty(), service.authenticate("mallory", "x".toCharArray()));
        assertEquals(Optional.empty(), service.authenticate("mallory", "y".toCharArray()));

        verify(hasher, times(2)).matches(any(), eq("decoy-hash"));
        verify(hasher, times(1)).hash(any());
    }

    @Test
    void aMissingUsernameIsEmptyWithoutAStoreLookup() {
        when(hasher.hash(any())).thenReturn("decoy-hash");

        assertEquals(Optional.empty(), service.authenticate(null, "x".toCharArray()));

        verifyNoInteractions(users);
        verify(hasher).matches(any(), eq("decoy-hash"));
    }

    @Test
    void aFreshStoreGetsEveryAccountInOneTransactionWithOnlyHashesStored() {
        when(users.count()).thenReturn(0L);
        when(ids.newId()).thenReturn("u-1", "u-2");
        char[] adminPassword = "admin-pw".toCharArray();
        char[] traderPassword = "trader-pw".toCharArray();
        when(hasher.hash(adminPassword)).thenReturn("hash-admin");
        when(hasher.hash(traderPassword)).thenReturn("hash-trader");
        doAnswer(journal.notes("users.save")).when(users).save(any());
        Map<String, Credentials> accounts = new LinkedHashMap<>();
        accounts.put("admin", new Credentials(Role.ADMIN, adminPassword));
        accounts.put("trader", new Credentials(Role.TRADER, traderPassword));

        assertTrue(service.provisionIfEmpty(accounts));

        verify(users).save(new User(UserId.of("u-1"), "admin", "hash-admin", Role.ADMIN, NOW));
        verify(users).save(new User(UserId.of("u-2"), "trader", "hash-trader", Role.TRADER, NOW));
        assertEquals(List.of("begin", "users.save", "users.save", "commit"), journal.entries());
    }

    @Test
    void aStoreWithUsersIsLeftAlone() {
        when(users.count()).thenReturn(3L);

        assertFalse(service.provisionIfEmpty(Map.of("admin", new Credentials(Role.ADMIN, "pw".toCharArray()))));

        verify(users, never()).save(any());
        verifyNoInteractions(tx, hasher, ids);
    }
}
