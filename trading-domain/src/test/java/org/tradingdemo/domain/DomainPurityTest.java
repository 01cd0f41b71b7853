package org.tradingdemo.domain;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The domain's own guard (the full rule set lives in the launcher's ArchitectureTest): whoever
 * embeds this module gets only JDK types - no framework, SQL, I/O or logging, and no double.
 */
class DomainPurityTest {

    private final JavaClasses domain = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.tradingdemo.domain");

    @Test
    void dependsOnlyOnPureJdkPackages() {
        classes().that().resideInAPackage("org.tradingdemo.domain..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("org.tradingdemo.domain..", "java.lang..", "java.util..", "java.math..", "java.time..")
                .allowEmptyShould(false)
                .check(domain);
    }

    @Test
    void holdsNoFloatingPointFields() {
        noFields().that().areDeclaredInClassesThat().resideInAPackage("org.tradingdemo.domain..")
                .should().haveRawType(double.class).orShould().haveRawType(float.class)
                .allowEmptyShould(false)
                .check(domain);
    }
}
