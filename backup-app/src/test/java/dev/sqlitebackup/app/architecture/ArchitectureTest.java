package dev.sqlitebackup.app.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
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
 * fails on a class that breaks it, so none of them passes because it matched nothing. Every rule also refuses to
 * pass when it checked no class at all ({@code allowEmptyShould(false)}): a misspelled package fails the build
 * with ArchUnit's "failed to check any classes".
 */
@AnalyzeClasses(packages = "dev.sqlitebackup",
        importOptions = {ImportOption.DoNotIncludeTests.class, ArchitectureTest.DoNotIncludeTestJars.class})
public class ArchitectureTest {

    /** The driving adapters: they call the domain's use cases, the domain never calls them. */
    static final String[] DRIVING_ADAPTERS = {"dev.sqlitebackup.app.cli..", "dev.sqlitebackup.app.daemon.."};

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
            .because("the domain is pure Java: no framework, logging or I/O library")
            .allowEmptyShould(false);

    @ArchTest
    public static final ArchRule sqliteAdapterDependsOnDomainDriverAndJdk = classes()
            .that().resideInAPackage("dev.sqlitebackup.adapters.sqlite..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax..", "dev.sqlitebackup.domain..",
                    "dev.sqlitebackup.adapters.sqlite..", "org.sqlite..", "org.slf4j..")
            .allowEmptyShould(false);

    @ArchTest
    public static final ArchRule filesystemAdapterDependsOnDomainAndJdk = classes()
            .that().resideInAPackage("dev.sqlitebackup.adapters.filesystem..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.sqlitebackup.domain..",
                    "dev.sqlitebackup.adapters.filesystem..", "org.slf4j..")
            .allowEmptyShould(false);

    /** zstd-jni for the frames, jagged for age (and the JDK's javax.crypto key spec it takes). */
    @ArchTest
    public static final ArchRule codecAdapterDependsOnDomainZstdAgeAndJdk = classes()
            .that().resideInAPackage("dev.sqlitebackup.adapters.codec..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "javax.crypto..",
                    "javax.security.auth..", "dev.sqlitebackup.domain..", "dev.sqlitebackup.adapters.codec..",
                    "com.github.luben.zstd..", "com.exceptionfactory.jagged..")
            .allowEmptyShould(false);

    /** Google's Drive client and auth library; the JDK's HTTP server receives the consent redirect. */
    @ArchTest
    public static final ArchRule driveAdapterDependsOnDomainGoogleClientAndJdk = classes()
            .that().resideInAPackage("dev.sqlitebackup.adapters.drive..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.sun.net.httpserver..",
                    "dev.sqlitebackup.domain..", "dev.sqlitebackup.adapters.drive..", "com.google.api..",
                    "com.google.auth..", "com.google.gson..", "org.slf4j..")
            .allowEmptyShould(false);

    /** okhttp and okio, its I/O layer (the timeouts of a call). */
    @ArchTest
    public static final ArchRule ntfyAdapterDependsOnDomainOkHttpAndJdk = classes()
            .that().resideInAPackage("dev.sqlitebackup.adapters.ntfy..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.sqlitebackup.domain..",
                    "dev.sqlitebackup.adapters.ntfy..", "okhttp3..", "okio..", "com.google.gson..", "org.slf4j..")
            .allowEmptyShould(false);

    /** The heartbeat, in the same module as ntfy (HTTP notifications) but sharing nothing with it. */
    @ArchTest
    public static final ArchRule heartbeatAdapterDependsOnDomainOkHttpAndJdk = classes()
            .that().resideInAPackage("dev.sqlitebackup.adapters.heartbeat..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.sqlitebackup.domain..",
                    "dev.sqlitebackup.adapters.heartbeat..", "okhttp3..", "okio..", "org.slf4j..")
            .allowEmptyShould(false);

    @ArchTest
    public static final ArchRule adaptersDoNotDependOnEachOther = slices()
            .matching("dev.sqlitebackup.adapters.(*)..")
            .should().notDependOnEachOther()
            .allowEmptyShould(false);

    @ArchTest
    public static final ArchRule nothingButTheAppDependsOnTheApp = noClasses()
            .that().resideOutsideOfPackage("dev.sqlitebackup.app..")
            .should().dependOnClassesThat().resideInAPackage("dev.sqlitebackup.app..")
            .allowEmptyShould(false);

    /**
     * Of the project's own code, the CLI and the daemon use the in-ports, the model and the app's packages
     * ({@code app.*..}: settings, each other), never an out-port, a service, an adapter or the composition root
     * ({@code dev.sqlitebackup.app} itself, the only code that knows every module). Libraries are theirs to choose.
     */
    @ArchTest
    public static final ArchRule drivingAdaptersUseOnlyInPortsAndTheModel = classes()
            .that().resideInAnyPackage(DRIVING_ADAPTERS)
            .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.sqlitebackup..")
                    .or(resideInAnyPackage("dev.sqlitebackup.domain.port.in..", "dev.sqlitebackup.domain.model..",
                            "dev.sqlitebackup.app.*..")))
            .because("driving adapters reach the domain through its use cases; the composition root wires the rest")
            .allowEmptyShould(false);

    @ArchTest
    public static final ArchRule inPortsAreUseCases = classes()
            .that().resideInAPackage("dev.sqlitebackup.domain.port.in..").and().areTopLevelClasses()
            .should().haveSimpleNameEndingWith("UseCase")
            .allowEmptyShould(false);

    @ArchTest
    public static final ArchRule noPackageCycles = slices()
            .matching("dev.sqlitebackup.(**)")
            .should().beFreeOfCycles()
            .allowEmptyShould(false);
}
