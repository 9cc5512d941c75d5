package dev.sqlitebackup.app.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.sqlitebackup.adapters.ntfy.ViolatingNtfyClass;
import dev.sqlitebackup.adapters.sqlite.ViolatingSqliteClass;
import dev.sqlitebackup.domain.port.in.ViolatingInPort;
import org.junit.jupiter.api.Test;

/**
 * Each architecture rule, run on test fixtures that break it, must fail: a rule that matches nothing, or that
 * cannot see the violation, would otherwise pass silently.
 */
class ArchitectureRulesCanFailTest {

    private static JavaClasses fixtures(Class<?>... classes) {
        return new ClassFileImporter().importClasses(classes);
    }

    private static void assertFails(ArchRule rule, Class<?>... violators) {
        assertThatThrownBy(() -> rule.check(fixtures(violators))).isInstanceOf(AssertionError.class);
    }

    @Test
    void domainRule_failsOnADomainClassUsingALoggingLibrary() {
        assertFails(ArchitectureTest.domainDependsOnlyOnTheJdkAndItself,
                dev.sqlitebackup.domain.model.ViolatingDomainClass.class);
    }

    @Test
    void sqliteAdapterRule_failsOnAnAdapterUsingTheApp() {
        assertFails(ArchitectureTest.sqliteAdapterDependsOnDomainDriverAndJdk, ViolatingSqliteClass.class);
    }

    @Test
    void filesystemAdapterRule_failsOnAnAdapterUsingAnotherAdapter() {
        assertFails(ArchitectureTest.filesystemAdapterDependsOnDomainAndJdk,
                dev.sqlitebackup.adapters.filesystem.ViolatingFilesystemClass.class);
    }

    @Test
    void adaptersRule_failsWhenOneAdapterUsesAnother() {
        assertFails(ArchitectureTest.adaptersDoNotDependOnEachOther, ViolatingNtfyClass.class,
                ViolatingSqliteClass.class);
    }

    @Test
    void appRule_failsWhenAnAdapterUsesTheApp() {
        assertFails(ArchitectureTest.nothingButTheAppDependsOnTheApp, ViolatingSqliteClass.class);
    }

    @Test
    void inPortRule_failsOnAnInPortNotNamedUseCase() {
        assertFails(ArchitectureTest.inPortsAreUseCases, ViolatingInPort.class);
    }

    @Test
    void cycleRule_failsOnTwoPackagesUsingEachOther() {
        assertFails(ArchitectureTest.noPackageCycles, ViolatingNtfyClass.class, ViolatingSqliteClass.class);
    }
}
