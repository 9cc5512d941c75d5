package dev.sqlitebackup.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.sqlitebackup.adapters.codec.ViolatingCodecClass;
import dev.sqlitebackup.adapters.drive.ViolatingDriveClass;
import dev.sqlitebackup.adapters.filesystem.ViolatingFilesystemClass;
import dev.sqlitebackup.adapters.ntfy.ViolatingNtfyClass;
import dev.sqlitebackup.adapters.sqlite.ViolatingSqliteClass;
import dev.sqlitebackup.app.cli.ViolatingCliClass;
import dev.sqlitebackup.app.daemon.ViolatingDaemonClass;
import dev.sqlitebackup.domain.model.ViolatingDomainClass;
import dev.sqlitebackup.domain.port.in.ViolatingInPort;
import org.junit.jupiter.api.Test;

/**
 * Each architecture rule, run on test fixtures that break it, must fail for the violation it guards against: not
 * merely throw, because ArchUnit also throws when a rule matched no class at all (a misspelled package). Each test
 * names the offending class and what it must not use.
 */
class ArchitectureRulesCanFailTest {

    /** What ArchUnit says when a rule's {@code that()} matched no class. */
    private static final String MATCHED_NOTHING = "failed to check any classes";

    private static JavaClasses fixtures(Class<?>... classes) {
        return new ClassFileImporter().importClasses(classes);
    }

    /**
     * The rule fails on the fixtures for a violation, and one line of its report is {@code offender} using
     * {@code forbidden} (a class name, or what the offender lacks).
     */
    private static void assertViolation(ArchRule rule, Class<?> offender, String forbidden, Class<?>... fixtures) {
        Throwable thrown = catchThrowable(() -> rule.check(fixtures(fixtures)));
        assertThat(thrown).as("rule %s on %s", rule.getDescription(), offender.getSimpleName())
                .isInstanceOf(AssertionError.class);
        assertThat(thrown.getMessage()).doesNotContain(MATCHED_NOTHING).contains("was violated");
        assertThat(thrown.getMessage().lines())
                .as("a violation of %s by %s", forbidden, offender.getName())
                .anySatisfy(line -> assertThat(line).contains("<" + offender.getName()).contains(forbidden));
    }

    @Test
    void domainRule_failsOnADomainClassUsingALoggingLibrary() {
        assertViolation(ArchitectureTest.domainDependsOnlyOnTheJdkAndItself, ViolatingDomainClass.class,
                "org.slf4j.LoggerFactory", ViolatingDomainClass.class);
    }

    @Test
    void sqliteAdapterRule_failsOnAnAdapterUsingTheApp() {
        assertViolation(ArchitectureTest.sqliteAdapterDependsOnDomainDriverAndJdk, ViolatingSqliteClass.class,
                "dev.sqlitebackup.app.config.ConfigurationException", ViolatingSqliteClass.class);
    }

    @Test
    void filesystemAdapterRule_failsOnTheFolderAdapterUsingTheSqliteDriver() {
        assertViolation(ArchitectureTest.filesystemAdapterDependsOnDomainAndJdk, ViolatingFilesystemClass.class,
                "org.sqlite.SQLiteConfig", ViolatingFilesystemClass.class);
    }

    @Test
    void codecAdapterRule_failsOnTheCodecUsingTheSqliteDriverOfItsModule() {
        assertViolation(ArchitectureTest.codecAdapterDependsOnDomainZstdAgeAndJdk, ViolatingCodecClass.class,
                "org.sqlite.SQLiteConfig", ViolatingCodecClass.class);
    }

    @Test
    void codecAdapterRule_failsOnTheCodecUsingALoggingLibrary() {
        assertViolation(ArchitectureTest.codecAdapterDependsOnDomainZstdAgeAndJdk, ViolatingCodecClass.class,
                "org.slf4j.LoggerFactory", ViolatingCodecClass.class);
    }

    @Test
    void adaptersRule_failsWhenTheCodecUsesTheFolderAdapter() {
        assertViolation(ArchitectureTest.adaptersDoNotDependOnEachOther, ViolatingCodecClass.class,
                "dev.sqlitebackup.adapters.filesystem.ViolatingFilesystemClass", ViolatingCodecClass.class,
                ViolatingFilesystemClass.class);
    }

    @Test
    void driveAdapterRule_failsOnTheDriveAdapterUsingAnotherAdaptersLibrary() {
        assertViolation(ArchitectureTest.driveAdapterDependsOnDomainGoogleClientAndJdk, ViolatingDriveClass.class,
                "okhttp3.OkHttpClient", ViolatingDriveClass.class);
    }

    @Test
    void ntfyAdapterRule_failsOnTheNtfyAdapterUsingTheDriveLibrary() {
        assertViolation(ArchitectureTest.ntfyAdapterDependsOnDomainOkHttpAndJdk, ViolatingNtfyClass.class,
                "com.google.api.client.http.HttpTransport", ViolatingNtfyClass.class);
    }

    @Test
    void ntfyAdapterRule_failsOnTheNtfyAdapterUsingAnotherAdapter() {
        assertViolation(ArchitectureTest.ntfyAdapterDependsOnDomainOkHttpAndJdk, ViolatingNtfyClass.class,
                "dev.sqlitebackup.adapters.sqlite.ViolatingSqliteClass", ViolatingNtfyClass.class);
    }

    @Test
    void adaptersRule_failsWhenOneAdapterUsesAnother() {
        assertViolation(ArchitectureTest.adaptersDoNotDependOnEachOther, ViolatingNtfyClass.class,
                "dev.sqlitebackup.adapters.sqlite.ViolatingSqliteClass", ViolatingNtfyClass.class,
                ViolatingSqliteClass.class);
    }

    @Test
    void appRule_failsWhenAnAdapterUsesTheApp() {
        assertViolation(ArchitectureTest.nothingButTheAppDependsOnTheApp, ViolatingSqliteClass.class,
                "dev.sqlitebackup.app.config.ConfigurationException", ViolatingSqliteClass.class);
    }

    @Test
    void drivingAdapterRule_failsOnACommandUsingAnOutPort() {
        assertViolation(ArchitectureTest.drivingAdaptersUseOnlyInPortsAndTheModel, ViolatingCliClass.class,
                "dev.sqlitebackup.domain.port.out.BackupRepository", ViolatingCliClass.class);
    }

    @Test
    void drivingAdapterRule_failsOnACommandUsingTheCompositionRoot() {
        assertViolation(ArchitectureTest.drivingAdaptersUseOnlyInPortsAndTheModel, ViolatingCliClass.class,
                "dev.sqlitebackup.app.CompositionRoot", ViolatingCliClass.class);
    }

    @Test
    void drivingAdapterRule_failsOnTheDaemonUsingAnAdapter() {
        assertViolation(ArchitectureTest.drivingAdaptersUseOnlyInPortsAndTheModel, ViolatingDaemonClass.class,
                "dev.sqlitebackup.adapters.filesystem.FilesystemBackupRepository", ViolatingDaemonClass.class);
    }

    @Test
    void drivingAdapterRule_failsOnTheDaemonUsingAServiceInsteadOfItsUseCase() {
        assertViolation(ArchitectureTest.drivingAdaptersUseOnlyInPortsAndTheModel, ViolatingDaemonClass.class,
                "dev.sqlitebackup.domain.service.RunBackupService", ViolatingDaemonClass.class);
    }

    @Test
    void inPortRule_failsOnAnInPortNotNamedUseCase() {
        assertViolation(ArchitectureTest.inPortsAreUseCases, ViolatingInPort.class,
                "does not have simple name ending with 'UseCase'", ViolatingInPort.class);
    }

    @Test
    void cycleRule_failsOnTwoPackagesUsingEachOther() {
        assertViolation(ArchitectureTest.noPackageCycles, ViolatingNtfyClass.class,
                "dev.sqlitebackup.adapters.sqlite.ViolatingSqliteClass", ViolatingNtfyClass.class,
                ViolatingSqliteClass.class);
        assertViolation(ArchitectureTest.noPackageCycles, ViolatingSqliteClass.class,
                "dev.sqlitebackup.adapters.ntfy.ViolatingNtfyClass", ViolatingNtfyClass.class,
                ViolatingSqliteClass.class);
    }

    /**
     * The trap the checks above avoid: a rule over a misspelled package matches no class. It fails (every rule
     * refuses an empty {@code should}), but for matching nothing, and {@link #assertViolation} rejects that
     * failure, so a can-fail test over a misspelled rule fails instead of passing.
     */
    @Test
    void aRuleOverAMisspelledPackage_failsForMatchingNothing_whichIsNotAViolation() {
        ArchRule misspelled = classes()
                .that().resideInAPackage("dev.sqlitebackup.adapters.drvie..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.sqlitebackup.domain..")
                .allowEmptyShould(false);

        assertThatThrownBy(() -> misspelled.check(fixtures(ViolatingDriveClass.class)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(MATCHED_NOTHING)
                .hasMessageNotContaining("was violated");
        assertThatThrownBy(() -> assertViolation(misspelled, ViolatingDriveClass.class, "okhttp3.OkHttpClient",
                ViolatingDriveClass.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(MATCHED_NOTHING);
    }

    /** A slice rule over a misspelled package is as empty, and fails the same way. */
    @Test
    void aSliceRuleOverAMisspelledPackage_failsForMatchingNothing() {
        ArchRule misspelled = com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices()
                .matching("dev.sqlitebackup.adaptors.(*)..")
                .should().notDependOnEachOther()
                .allowEmptyShould(false);

        assertThatThrownBy(() -> assertViolation(misspelled, ViolatingNtfyClass.class,
                "dev.sqlitebackup.adapters.sqlite.ViolatingSqliteClass", ViolatingNtfyClass.class,
                ViolatingSqliteClass.class))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(MATCHED_NOTHING);
    }
}
