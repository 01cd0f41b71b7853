package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * Proves the rules bite: the same rule functions, pointed at a fixture package with a planted
 * violation, fail; and a rule over a package that does not exist fails too (fail-on-empty).
 */
class ArchitectureRulesCatchViolationsTest {

    private static final String FIXTURE_ROOT = "org.tradingdemo.launcher.archfixture";
    private final JavaClasses fixture = new ClassFileImporter().importPackages(FIXTURE_ROOT);

    @Test
    void sqlInTheDomainIsCaught() {
        AssertionError e = assertThrows(AssertionError.class, () -> HexagonalRules.domainIsPure(FIXTURE_ROOT).check(fixture));
        assertTrue(e.getMessage().contains("java.sql.Connection"), e.getMessage());
    }

    @Test
    void aDoubleInTheDomainIsCaught() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> HexagonalRules.domainHasNoFloatingPoint(FIXTURE_ROOT).check(fixture));
        assertTrue(e.getMessage().contains("amount"), e.getMessage());
    }

    @Test
    void aHiddenClockIsCaught() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> HexagonalRules.noHiddenClockOrRandom(FIXTURE_ROOT).check(fixture));
        assertTrue(e.getMessage().contains("Instant.now()"), e.getMessage());
    }

    @Test
    void anAdapterUsingAnotherAdapterIsCaught() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> HexagonalRules.adaptersDoNotDependOnEachOther(FIXTURE_ROOT).check(fixture));
        assertTrue(e.getMessage().contains("RightAdapter"), e.getMessage());
    }

    @Test
    void aRuleOverAMissingPackageFailsInsteadOfPassing() {
        assertThrows(AssertionError.class,
                () -> HexagonalRules.applicationSeesNoTechnology("org.tradingdemo.nosuchpackage").check(fixture));
    }
}
