package dev.sqlitebackup.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} onto a disk too small for the copy, through the shaded jar, on a 12 MiB tmpfs mounted for the test
 * (needs root and a system that lets it mount; skipped with the reason otherwise): exit 1 with one line on stderr
 * saying there is no space left, no new file under a backup name, no scratch file left, and the backup already
 * there untouched, with both ways of copying.
 */
class DiskFullIT {

    private static final String DISK_SIZE = "12m";
    /** About 1 MB: the backup already on the disk. */
    private static final int SMALL_ROWS = 300;
    /** About 28 MB: more than the whole disk. */
    private static final int BIG_ROWS = 8_000;

    @TempDir
    static Path home;
    private static Path disk;
    private static boolean mounted;
    private static Path smallDb;
    private static Path bigDb;

    @BeforeAll
    static void mountASmallDisk() throws IOException {
        disk = Files.createDirectory(home.resolve("small-disk"));
        String refused = mountTmpfs(disk);
        if (refused != null) {
            System.out.println("DiskFullIT skipped: cannot mount a " + DISK_SIZE + " tmpfs: " + refused);
        }
        Assumptions.assumeTrue(refused == null, () -> "cannot mount a " + DISK_SIZE + " tmpfs: " + refused);
        mounted = true;
        smallDb = home.resolve("small.db");
        createBlobs(smallDb, SMALL_ROWS);
        bigDb = home.resolve("big.db");
        createBlobs(bigDb, BIG_ROWS);
    }

    @AfterAll
    static void unmount() {
        if (!mounted) {
            return;
        }
        String failed = exec("umount", disk.toString());
        if (failed != null) {
            // busy (a process still in it?): detach it, so no mount outlives the test, and say so
            String lazy = exec("umount", "-l", disk.toString());
            throw new AssertionError("umount " + disk + " failed: " + failed
                    + (lazy == null ? " (detached with umount -l)" : "; umount -l too: " + lazy));
        }
    }

    @Test
    void onlineBackup_ontoAFullDisk_exits1_withOneLine_andLeavesTheOldBackupAndNothingElse() throws IOException {
        runOntoAFullDisk("online-backup", bigDb, false, "--no-vacuum");
    }

    @Test
    void vacuumInto_ontoAFullDisk_exits1_withOneLine_andLeavesTheOldBackupAndNothingElse() throws IOException {
        runOntoAFullDisk("vacuum-into", bigDb, false);
    }

    /** Another program filled the disk before the run began: not a byte free, not even for a log. */
    @Test
    void run_ontoADiskAlreadyFull_exits1_withOneLine_andLeavesTheOldBackupAndNothingElse() throws IOException {
        runOntoAFullDisk("already-full", smallDb, true);
    }

    private static void runOntoAFullDisk(String dirName, Path database, boolean fillFirst, String... flags)
            throws IOException {
        BackupFolder folder = new BackupFolder(disk.resolve(dirName), "blobs", SMALL_ROWS);
        JarProcess jar = new JarProcess(home).env("BACKUP_DIR", folder.dir().toString());
        // one database that grows: its first backup fits on the disk, the next does not (a folder holds the backups
        // of one database)
        Path grows = home.resolve(dirName + ".db");
        Files.copy(smallDb, grows);
        JarProcess.Result first = jar.run("run", "--database", grows.toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        List<String> old = folder.check("the backup already there").newBackups();
        assertThat(old).hasSize(1);
        Path oldBackup = folder.dir().resolve(old.get(0));
        byte[] oldBytes = Files.readAllBytes(oldBackup);
        String oldSidecar = Files.readString(Path.of(oldBackup + ".sha256"), StandardCharsets.UTF_8);
        Path filler = disk.resolve("filler-" + dirName);
        try {
            if (fillFirst) {
                fill(filler);
            }
            if (!database.equals(smallDb)) {
                Files.copy(database, grows, StandardCopyOption.REPLACE_EXISTING);
            }
            long free = Files.getFileStore(folder.dir()).getUsableSpace();
            assertThat(Files.size(grows)).as("the database is bigger than the free space").isGreaterThan(free);
            List<String> args = new ArrayList<>(List.of("run", "--database", grows.toString()));
            args.addAll(List.of(flags));

            JarProcess.Result full = jar.run(args.toArray(String[]::new));

            System.out.println("DiskFullIT " + dirName + ": " + String.join(" ", args) + " with " + free
                    + " bytes free: " + full);
            assertThat(full.exitCode()).as(full.toString()).isEqualTo(1);
            assertThat(full.errLines()).as(full.toString()).singleElement().asString().contains("no space left");
            assertThat(folder.check("after the failed run").newBackups()).as("no new backup name").isEmpty();
            assertThat(folder.names()).containsExactlyElementsOf(old);
            assertThat(folder.scratch()).as("scratch files left in " + BackupFolder.SCRATCH_DIR).isEmpty();
            assertThat(oldBackup).as("the old backup, byte for byte").hasBinaryContent(oldBytes);
            assertThat(Path.of(oldBackup + ".sha256")).as("its sidecar").hasContent(oldSidecar);
            assertThat(BackupFolder.integrityCheck(oldBackup)).isEqualTo("ok");
            // nothing the size of a partial copy hides anywhere (a few pages of slack for any log the run keeps)
            assertThat(Files.getFileStore(folder.dir()).getUsableSpace())
                    .as("the space the failed copy took is free").isGreaterThanOrEqualTo(free - 64 * 1024);
        } finally {
            Files.deleteIfExists(filler);
        }
        JarProcess.Result verify = jar.run("verify", "--all");
        assertThat(verify.exitCode()).as("verify --all\n" + verify).isZero();
    }

    /** Writes zeros to {@code file} until the disk is full. */
    private static void fill(Path file) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (true) {
                zeros.clear();
                out.write(zeros);
            }
        } catch (IOException full) {
            if (Files.getFileStore(file.getParent()).getUsableSpace() > 0) {
                throw full;
            }
        }
    }

    /** Null when mounted, else why not. */
    private static String mountTmpfs(Path at) {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "not Linux (" + System.getProperty("os.name") + ")";
        }
        return exec("mount", "-t", "tmpfs", "-o", "size=" + DISK_SIZE + ",mode=0700", "tmpfs", at.toString());
    }

    /** Null when the command exits 0, else its exit code and output. */
    private static String exec(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", command) + " did not finish in 30 s";
            }
            return p.exitValue() == 0 ? null : "exit " + p.exitValue() + (output.isEmpty() ? "" : ": " + output)
                    + " (running as " + System.getProperty("user.name") + ")";
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void createBlobs(Path db, int rows) {
        Sqlite.exec(db, "PRAGMA journal_mode=WAL", "PRAGMA synchronous=OFF",
                "CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + rows + ") "
                        + "INSERT INTO blobs (body) SELECT randomblob(1024 + abs(random() % 3073)) FROM n");
    }
}
