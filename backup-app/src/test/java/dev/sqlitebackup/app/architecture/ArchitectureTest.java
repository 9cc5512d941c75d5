package dev.sqlitebackup.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The hexagon's boundaries, over production classes only. {@link ArchitectureRulesCanFailTest} shows each rule
 * fails on a class that breaks it, so none of them passes because it matched nothing.
 */
@AnalyzeClasses(packages = "dev.sqlitebackup",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.DoNotIncludeTestJars.class})
public class ArchitectureTest {

    /** The modules' published test-jars (fakes, contract tests) are test code too. */
    public static final class DoNotIncludeTestJars implements ImportOption {
        @Override
        public boolean includes(Location location) {
            return !location.contains("-tests.jar");
        }
    }

    @ArchTest
    public static final ArchRule domainDependsOnlyOnTheJdkAndItself = classes()
            .that().resideInAPackage("dev.sqlitebackup.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.sqlitebackup.domain..")
            .because("the domain is pure Java: no framework, logging or I/O library");

    @ArchTest
    public static final ArchRule sqliteAdapterDependsOnDomainDriverAndJdk = classes()
            .that().resideInAPackage("dev.sqlitebackup.adapters.sqlite..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "dev.sqlitebackup.domain..",
                    "dev.sqlitebackup.adapters.sqlite..", "org.sqlite..", "org.slf4j..");

    @ArchTest
    public static final ArchRule filesystemAdapterDependsOnDomainAndJdk = classes()
            .that().resideInAPackage("dev.sqlitebackup.adapters.filesystem..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.sqlitebackup.domain..",
                    "dev.sqlitebackup.adapters.filesystem..", "org.slf4j..");

    @ArchTest
    public static final ArchRule adaptersDoNotDependOnEachOther = slices()
            .matching("dev.sqlitebackup.adapters.(*)..")
            .should().notDependOnEachOther();

    @ArchTest
    public static final ArchRule nothingButTheAppDependsOnTheApp = noClasses()
            .that().resideOutsideOfPackage("dev.sqlitebackup.app..")
            .should().dependOnClassesThat().resideInAPackage("dev.sqlitebackup.app..");

    @ArchTest
    public static final ArchRule inPortsAreUseCases = classes()
            .that().resideInAPackage("dev.sqlitebackup.domain.port.in..").and().areTopLevelClasses()
            .should().haveSimpleNameEndingWith("UseCase");

    @ArchTest
    public static final ArchRule noPackageCycles = slices()
            .matching("dev.sqlitebackup.(**)")
            .should().beFreeOfCycles();
}
