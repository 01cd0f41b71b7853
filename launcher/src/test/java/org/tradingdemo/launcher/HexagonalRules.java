package org.tradingdemo.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.UUID;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of ARCHITECTURE.md §2 as functions of a root package, so the same rule can
 * be checked against the real code and against a planted violation. Every rule keeps ArchUnit's
 * fail-on-empty: a rule over a package that does not exist fails instead of passing vacuously.
 */
final class HexagonalRules {

    private HexagonalRules() {
    }

    /** The domain imports nothing but itself and the pure parts of the JDK: no framework, SQL, HTTP, logging or I/O. */
    static ArchRule domainIsPure(String root) {
        return classes().that().resideInAPackage(root + ".domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(root + ".domain..", "java.lang..", "java.util..",
                        "java.math..", "java.time..")
                .because("the domain is pure Java: no framework, no SQL, no logging, no I/O")
                .allowEmptyShould(false);
    }

    /** Money and quantities are never binary floating point anywhere in the domain. */
    static ArchRule domainHasNoFloatingPoint(String root) {
        return noFields().that().areDeclaredInClassesThat().resideInAPackage(root + ".domain..")
                .should().haveRawType(double.class).orShould().haveRawType(float.class)
                .orShould().haveRawType(Double.class).orShould().haveRawType(Float.class)
                .because("money and quantities are BigDecimal, never double")
                .allowEmptyShould(false);
    }

    /** Time and randomness are injected: the domain and the use cases never read the system clock. */
    static ArchRule noHiddenClockOrRandom(String root) {
        return noClasses().that().resideInAnyPackage(root + ".domain..", root + ".app.service..", root + ".app.port..")
                .should().callMethod(Instant.class, "now")
                .orShould().callMethod(LocalDate.class, "now")
                .orShould().callMethod(LocalDateTime.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(UUID.class, "randomUUID")
                .because("Clock and IdGenerator are injected")
                .allowEmptyShould(false);
    }

    /** The application layer sees the domain, the JDK and slf4j: never HTTP, SQL, gRPC or JSON types. */
    static ArchRule applicationSeesNoTechnology(String root) {
        return classes().that().resideInAPackage(root + ".app..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(root + ".domain..", root + ".app..", "java..",
                        "javax.crypto..", "org.slf4j..")
                .because("use cases never see HTTP, SQL, gRPC or JSON types (JDK crypto hashes passwords)")
                .allowEmptyShould(false);
    }

    /** The domain never reaches up into the application, adapters or the launcher. */
    static ArchRule domainDoesNotDependOnOuterLayers(String root) {
        return noClasses().that().resideInAPackage(root + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".app..", root + ".adapter..", root + ".launcher..")
                .allowEmptyShould(false);
    }

    /** Use-case services depend on use-case interfaces and driven ports, never on a concrete adapter. */
    static ArchRule servicesDoNotUseAdapters(String root) {
        return noClasses().that().resideInAnyPackage(root + ".app.service..", root + ".app.port..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".app.inmemory..", root + ".app.local..",
                        root + ".adapter..", root + ".launcher..")
                .because("services are wired with ports; the adapter is chosen by the wiring")
                .allowEmptyShould(false);
    }

    /** No adapter imports another adapter: each plugs into the hexagon alone; only the launcher sees them all. */
    static ArchRule adaptersDoNotDependOnEachOther(String root) {
        return slices().matching(root + ".adapter.(**)").should().notDependOnEachOther()
                .because("adapters meet only through ports; the launcher composes them")
                .allowEmptyShould(false);
    }

    /** No package cycles anywhere in the project. */
    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles().allowEmptyShould(false);
    }

    /** Names say the role: use cases, their services, in-memory adapters. */
    static ArchRule useCaseInterfacesAreNamedForTheirRole(String root) {
        return classes().that().resideInAPackage(root + ".app.port.in..").and().areInterfaces().and().areTopLevelClasses()
                .should().haveSimpleNameEndingWith("UseCase").orShould().haveSimpleNameEndingWith("Result")
                .allowEmptyShould(false);
    }

    static ArchRule servicesAreNamedService(String root) {
        return classes().that().resideInAPackage(root + ".app.service..").and().areTopLevelClasses()
                .and().haveSimpleNameNotEndingWith("Test")
                .and().implement(com.tngtech.archunit.base.DescribedPredicate.describe("a use case",
                        (com.tngtech.archunit.core.domain.JavaClass c) -> c.getSimpleName().endsWith("UseCase")))
                .should().haveSimpleNameEndingWith("Service")
                .allowEmptyShould(false);
    }

    static ArchRule inMemoryRepositoriesAreNamedInMemory(String root) {
        return classes().that().resideInAPackage(root + ".app.inmemory..").and().areTopLevelClasses()
                .and().implement(com.tngtech.archunit.base.DescribedPredicate.describe("a repository port",
                        (com.tngtech.archunit.core.domain.JavaClass c) -> c.getSimpleName().endsWith("Repository")))
                .should().haveSimpleNameStartingWith("InMemory").andShould().haveSimpleNameEndingWith("Repository")
                .allowEmptyShould(false);
    }

    /** Driven ports are interfaces (or the records and exceptions of their signatures). */
    static ArchRule drivenPortsAreInterfaces(String root) {
        return classes().that().resideInAPackage(root + ".domain.port").and().areTopLevelClasses()
                .and().haveSimpleNameNotEndingWith("Exception")
                .should().beInterfaces()
                .allowEmptyShould(false);
    }
}
