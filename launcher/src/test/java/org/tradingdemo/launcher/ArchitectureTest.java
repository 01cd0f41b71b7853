package org.tradingdemo.launcher;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules of ARCHITECTURE.md §2 over every production class; the launcher sees them all. */
class ArchitectureTest {

    static final String ROOT = "org.tradingdemo";
    private static JavaClasses production;

    @BeforeAll
    static void importClasses() {
        // our modules arrive as target/classes folders (mvn test) or as jars (mvn verify): take both,
        // but never test classes, whether in target/test-classes or in a -tests.jar
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
                .importPackages(ROOT);
    }

    @Test
    void domainIsPure() {
        HexagonalRules.domainIsPure(ROOT).check(production);
    }

    @Test
    void domainHasNoFloatingPoint() {
        HexagonalRules.domainHasNoFloatingPoint(ROOT).check(production);
    }

    @Test
    void noHiddenClockOrRandom() {
        HexagonalRules.noHiddenClockOrRandom(ROOT).check(production);
    }

    @Test
    void applicationSeesNoTechnology() {
        HexagonalRules.applicationSeesNoTechnology(ROOT).check(production);
    }

    @Test
    void domainDoesNotDependOnOuterLayers() {
        HexagonalRules.domainDoesNotDependOnOuterLayers(ROOT).check(production);
    }

    @Test
    void servicesDoNotUseAdapters() {
        HexagonalRules.servicesDoNotUseAdapters(ROOT).check(production);
    }

    @Test
    void adaptersDoNotDependOnEachOther() {
        HexagonalRules.adaptersDoNotDependOnEachOther(ROOT).check(production);
    }

    @Test
    void noPackageCycles() {
        HexagonalRules.noPackageCycles(ROOT).check(production);
    }

    @Test
    void useCaseInterfacesAreNamedForTheirRole() {
        HexagonalRules.useCaseInterfacesAreNamedForTheirRole(ROOT).check(production);
    }

    @Test
    void servicesAreNamedService() {
        HexagonalRules.servicesAreNamedService(ROOT).check(production);
    }

    @Test
    void inMemoryRepositoriesAreNamedInMemory() {
        HexagonalRules.inMemoryRepositoriesAreNamedInMemory(ROOT).check(production);
    }

    @Test
    void drivenPortsAreInterfaces() {
        HexagonalRules.drivenPortsAreInterfaces(ROOT).check(production);
    }
}
