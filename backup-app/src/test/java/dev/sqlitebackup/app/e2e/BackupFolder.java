package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * The test's view of a backup folder: every file under a backup name must be whole (its sidecar in
 * {@code sha256sum -c} format with the file's SHA-256, {@code integrity_check} ok, all rows there), and a backup once
 * seen whole must stay, unchanged, until the test itself removes it.
 */
final class BackupFolder {

    static final String SCRATCH_DIR = ".sqlite-backup";
    static final Pattern BACKUP = Pattern.compile("backup-\\d{4}-\\d{2}-\\d{2}-\\d{6}\\.db");
    /** Exactly what {@code sha256sum} writes and {@code sha256sum -c --strict} reads: hash, two spaces, name. */
    private static final Pattern SIDECAR_LINE = Pattern.compile("([0-9a-f]{64})  (\\S+)\n");

    /** What must not change about a backup once it was checked whole (re-hashing every one each time is slow). */
    private record Whole(long size, Object fileKey, String sidecar) {
    }

    /** What one look at the folder found besides the backups already known to be whole. */
    record Look(List<String> newBackups, Set<String> loneSidecars, List<Path> scratch) {
    }

    private final Path dir;
    private final String table;
    private final long rows;
    private final Map<String, Whole> whole = new TreeMap<>();

    /** A folder whose backups are copies of a database with {@code rows} rows in {@code table}. */
    BackupFolder(Path dir, String table, long rows) {
        this.dir = dir;
        this.table = table;
        this.rows = rows;
    }

    Path dir() {
        return dir;
    }

    /** The backups known to be whole, oldest first. */
    List<String> names() {
        return List.copyOf(whole.keySet());
    }

    /**
     * Checks the folder: only backups, sidecars and the scratch folder in it; each new backup whole; each known one
     * still there and unchanged. {@code context} says which step of the test this is.
     */
    Look check(String context) {
        List<String> found = new ArrayList<>();
        Set<String> sidecars = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.toList()) {
                    String name = entry.getFileName().toString();
                    if (BACKUP.matcher(name).matches()) {
                        found.add(name);
                    } else if (name.endsWith(".sha256")
                            && BACKUP.matcher(name.substring(0, name.length() - 7)).matches()) {
                        sidecars.add(name.substring(0, name.length() - 7));
                    } else {
                        assertThat(name).as(context + ": only backups, their sidecars and " + SCRATCH_DIR + " in "
                                + dir).isEqualTo(SCRATCH_DIR);
                    }
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        assertThat(found).as(context + ": every backup seen whole before is still there")
                .containsAll(whole.keySet());
        List<String> fresh = new ArrayList<>();
        for (String name : found.stream().sorted().toList()) {
            Path file = dir.resolve(name);
            Whole known = whole.get(name);
            if (known == null) {
                whole.put(name, checkWhole(file, context));
                fresh.add(name);
            } else {
                assertThat(describe(file)).as(context + ": " + name + " unchanged since it was checked")
                        .isEqualTo(known);
            }
        }
        Set<String> lone = new TreeSet<>(sidecars);
        lone.removeAll(found);
        return new Look(List.copyOf(fresh), lone, scratch());
    }

    /** The test's own clean-up (to bound disk use), so the backup is no longer expected. */
    void remove(String name) {
        try {
            Files.delete(dir.resolve(name));
            Files.delete(dir.resolve(name + ".sha256"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        whole.remove(name);
    }

    /** The {@code tmp-*} files in the scratch folder. */
    List<Path> scratch() {
        Path scratch = dir.resolve(SCRATCH_DIR);
        if (!Files.isDirectory(scratch)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(scratch)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("tmp-")).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private Whole checkWhole(Path file, String context) {
        String name = file.getFileName().toString();
        Path sidecar = file.resolveSibling(name + ".sha256");
        assertThat(sidecar).as(context + ": the sidecar of " + name).isRegularFile();
        // comment lines (the tables' row counts) are notes that sha256sum skips; the rest is the one checksum line
        String line = read(sidecar).lines().filter(l -> !l.startsWith("#")).map(l -> l + "\n")
                .collect(java.util.stream.Collectors.joining());
        Matcher m = SIDECAR_LINE.matcher(line);
        assertThat(m.matches()).as(context + ": " + sidecar + " is one sha256sum line: '" + line + "'").isTrue();
        assertThat(m.group(2)).as(context + ": the name in " + sidecar).isEqualTo(name);
        assertThat(sha256(file)).as(context + ": SHA-256 of " + name + " against its sidecar").isEqualTo(m.group(1));
        assertThat(integrityCheck(file)).as(context + ": integrity_check of " + name).isEqualTo("ok");
        assertThat(count(file, table)).as(context + ": rows in " + name).isEqualTo(rows);
        return describe(file);
    }

    private Whole describe(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            return new Whole(attributes.size(), Objects.requireNonNull(attributes.fileKey()),
                    read(file.resolveSibling(file.getFileName() + ".sha256")));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code PRAGMA integrity_check} on the file as it is: read-only, immutable (no locks, no -wal or -shm). */
    static String integrityCheck(Path file) {
        return query(file, "PRAGMA integrity_check");
    }

    static long count(Path file, String table) {
        return Long.parseLong(query(file, "SELECT count(*) FROM " + table));
    }

    private static String query(Path file, String sql) {
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        String url = "jdbc:sqlite:" + file.toAbsolutePath().toUri() + "?mode=ro&immutable=1";
        try (Connection c = DriverManager.getConnection(url, readOnly.toProperties());
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            StringBuilder all = new StringBuilder();
            while (rs.next()) {
                all.append(all.length() == 0 ? "" : "\n").append(rs.getString(1));
            }
            return all.toString();
        } catch (SQLException e) {
            return e.getMessage();
        }
    }
}
