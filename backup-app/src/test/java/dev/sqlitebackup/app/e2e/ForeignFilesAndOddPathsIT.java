package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs that are not errors but easy to get wrong: a backup folder that also holds other people's files,
 * directories and symlinks named like backups (retention that would delete all but one never touches or follows
 * them), and a database whose path has spaces and non-ASCII characters (backed up, verified and restored).
 */
class ForeignFilesAndOddPathsIT {

    private static final Pattern BACKUP = Pattern.compile("backup-\\d{4}-\\d{2}-\\d{2}-\\d{6}\\.db");
    private static final String[] KEEP_ONE = {"--keep-daily", "0", "--keep-weekly", "0", "--keep-monthly", "0",
        "--keep-last", "1"};

    @TempDir
    Path home;

    @Test
    void retentionThatKeepsOne_neverTouchesOrFollowsForeignFiles_directories_orSymlinksNamedLikeBackups()
            throws Exception {
        Sqlite.createNotes(home.resolve("app.db"), 100);
        JarProcess jar = new JarProcess(home).env("DATABASE_URL", "app.db");
        for (int i = 0; i < 2; i++) {
            JarProcess.Result r = jar.run("run");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            JarProcess.awaitTheNextSecond(); // distinct seconds, distinct names
        }
        Path backups = home.resolve("backups").resolve("app.db");
        List<Path> ours = backupsIn(backups);
        assertThat(ours).hasSize(2);

        // Someone else's things in the folder, all older than the tool's backups, all "deletable" by name.
        Path precious = home.resolve("precious.db");
        Sqlite.createNotes(precious, 10);
        Path preciousDir = Files.createDirectory(home.resolve("precious-dir"));
        Files.writeString(preciousDir.resolve("keep.txt"), "mine");
        Files.writeString(backups.resolve("notes.txt"), "not a backup");
        Files.writeString(backups.resolve("backup-2020-01-01-000000.db.bak"), "not a backup name");
        Files.writeString(backups.resolve("backup-2020-01-09-000000.db.sha256"), "a lone sidecar\n");
        Path dirNamedLikeABackup = Files.createDirectory(backups.resolve("backup-2020-01-02-000000.db"));
        Files.writeString(dirNamedLikeABackup.resolve("inside.txt"), "in a directory named like a backup");
        Files.createSymbolicLink(backups.resolve("backup-2020-01-03-000000.db"), precious);
        Files.createSymbolicLink(backups.resolve("backup-2020-01-03-000000.db.sha256"), precious);
        Files.createSymbolicLink(backups.resolve("backup-2020-01-04-000000.db"), home.resolve("gone.db"));
        Files.createSymbolicLink(backups.resolve("backup-2020-01-05-000000.db"), preciousDir);
        Files.createSymbolicLink(backups.resolve("backup-2020-01-06-000000.db"), ours.get(0));
        Map<String, String> foreignBefore = foreign(backups, ours);
        Map<String, String> outsideBefore = tree(preciousDir, null);
        String preciousBefore = Files.size(precious) + "@" + Files.getLastModifiedTime(precious);
        byte[] preciousBytes = Files.readAllBytes(precious);

        List<JarProcess.Result> results = new ArrayList<>();
        JarProcess.Result dryRun = jar.run(withKeepOne("prune", "--dry-run"));
        results.add(dryRun);
        JarProcess.Result run = jar.run(withKeepOne("run"));
        results.add(run);
        JarProcess.Result prune = jar.run(withKeepOne("prune"));
        results.add(prune);
        JarProcess.Result list = jar.run("list", "--json");
        results.add(list);
        JarProcess.Result verify = jar.run("verify", "--all");
        results.add(verify);

        for (JarProcess.Result r : results) {
            assertThat(r.exitCode()).as(r.toString()).isZero();
        }
        assertThat(dryRun.out()).as(dryRun.toString()).doesNotContain("2020-01");
        List<Path> after = backupsIn(backups);
        assertThat(after).as("the newest is kept, the tool's two older ones are gone").hasSize(1)
                .doesNotContainAnyElementsOf(ours);
        List<String> listed = new ArrayList<>();
        for (JsonElement e : JsonParser.parseString(list.out()).getAsJsonArray()) {
            listed.add(e.getAsJsonObject().get("name").getAsString());
        }
        assertThat(listed).containsExactly(after.get(0).getFileName().toString());
        assertThat(foreign(backups, ours)).as("every foreign entry as it was: type, size, time, link target")
                .isEqualTo(foreignBefore);
        assertThat(tree(preciousDir, null)).as("a linked directory outside the folder, never followed")
                .isEqualTo(outsideBefore);
        assertThat(Files.size(precious) + "@" + Files.getLastModifiedTime(precious)).isEqualTo(preciousBefore);
        assertThat(precious).hasBinaryContent(preciousBytes);
        assertThat(home.resolve("gone.db")).as("a dangling link is not made to point anywhere").doesNotExist();
        assertThat(Files.isSymbolicLink(backups.resolve("backup-2020-01-04-000000.db"))).as("dangling, kept")
                .isTrue();
        assertThat(Files.exists(backups.resolve("backup-2020-01-06-000000.db"))).as("its target was pruned")
                .isFalse();
        assertThat(Files.isSymbolicLink(backups.resolve("backup-2020-01-06-000000.db"))).isTrue();
    }

    @Test
    void aDatabasePathWithSpacesAndNonAsciiCharacters_backsUp_verifies_andRestores() throws Exception {
        Path folder = Files.createDirectories(home.resolve("Données clients 2026/été & hiver"));
        Path db = folder.resolve("mes notes ünïcödé 日本.db");
        Sqlite.createNotes(db, 500);
        JarProcess jar = new JarProcess(home).env("DATABASE_URL", home.relativize(db).toString());

        JarProcess.Result run = jar.run("run");
        JarProcess.Result verify = jar.run("verify");
        Path target = folder.resolve("restauré à l'instant.db");
        JarProcess.Result restore = jar.run("restore", "latest", "--to", target.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).as("the path is printed as it is").contains(db.getFileName().toString());
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(backupsIn(folder.resolve("backups").resolve(db.getFileName()))).hasSize(1);
        assertThat(Sqlite.integrityCheck(target)).isEqualTo("ok");
        assertThat(Sqlite.count(target, "notes")).isEqualTo(500);
    }

    private static String[] withKeepOne(String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(KEEP_ONE));
        return args.toArray(String[]::new);
    }

    private static List<Path> backupsIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> BACKUP.matcher(p.getFileName().toString()).matches())
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
    }

    /** Every entry of the folder that is not the tool's (its backups, their sidecars, its scratch space). */
    private static Map<String, String> foreign(Path backups, List<Path> ours) throws IOException {
        Map<String, String> all = tree(backups, null);
        all.keySet().removeIf(name -> name.isEmpty() || name.startsWith(".sqlite-backup")
                || (BACKUP.matcher(name.replaceFirst("\\.sha256$", "")).matches()
                        && Files.isRegularFile(backups.resolve(name), LinkOption.NOFOLLOW_LINKS)
                        && !name.startsWith("backup-2020")));
        assertThat(all).as("the foreign entries").hasSize(10);
        return all;
    }

    /** Every path under root (but not under skip) with its kind, size, time or link target; links not followed. */
    private static Map<String, String> tree(Path root, Path skip) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(skip)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                entries.put(root.relativize(dir).toString(), "dir@" + attrs.lastModifiedTime());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                entries.put(root.relativize(file).toString(), attrs.isSymbolicLink()
                        ? "-> " + Files.readSymbolicLink(file) : attrs.size() + "@" + attrs.lastModifiedTime());
                return FileVisitResult.CONTINUE;
            }
        });
        return entries;
    }
}
