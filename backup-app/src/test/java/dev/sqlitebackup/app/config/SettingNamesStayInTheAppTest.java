package dev.sqlitebackup.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only the app knows the settings' names (issue 10): the domain and the adapters get typed records and report what
 * is wrong, and the command line adds which setting to change. Checked over the compiled production classes of
 * every other module, whose string constants would hold a key a message named.
 */
class SettingNamesStayInTheAppTest {

    /** Classes of these packages, from the jars and folders on the test class path. */
    private static final List<String> PACKAGES = List.of("dev/sqlitebackup/domain/", "dev/sqlitebackup/adapters/");

    @Test
    void noDomainOrAdapterClass_namesASetting() throws IOException {
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        for (String root : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path location = Path.of(root);
            String fileName = location.getFileName().toString();
            // the modules' own production classes (a folder in the IDE, a jar in the reactor), not tests or libraries
            if (Files.isDirectory(location) && fileName.equals("classes")) {
                try (Stream<Path> files = Files.walk(location)) {
                    for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                        String name = location.relativize(file).toString();
                        if (PACKAGES.stream().anyMatch(name::startsWith)) {
                            checked++;
                            offenders.addAll(settingsNamedIn(name, Files.readAllBytes(file)));
                        }
                    }
                }
            } else if (fileName.matches("backup-(domain|adapters-[a-z]+)-.*\\.jar") && !fileName.contains("-tests")) {
                try (JarFile jar = new JarFile(location.toFile())) {
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        String name = entry.getName();
                        if (name.endsWith(".class") && PACKAGES.stream().anyMatch(name::startsWith)) {
                            checked++;
                            offenders.addAll(settingsNamedIn(name, jar.getInputStream(entry).readAllBytes()));
                        }
                    }
                }
            }
        }
        assertThat(checked).as("classes of the domain and the adapters were found").isGreaterThan(50);
        assertThat(offenders).isEmpty();
    }

    private static List<String> settingsNamedIn(String className, byte[] classFile) {
        String constants = new String(classFile, StandardCharsets.ISO_8859_1);
        return Settings.ALL.stream().map(Setting::key).filter(constants::contains)
                .map(key -> className + " names " + key).toList();
    }
}
