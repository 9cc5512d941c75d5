package dev.sqlitebackup.app.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.domain.model.Backup;
import dev.sqlitebackup.domain.model.BackupName;
import dev.sqlitebackup.domain.model.Pin;
import dev.sqlitebackup.domain.model.Sidecar;
import dev.sqlitebackup.domain.model.RemoteBackup;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code list}: the backups, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the backups, newest first, with time, size and whether a checksum is recorded.")
public final class ListCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--remote", description = "List the tool's copies on Google Drive instead of the local ones.")
    boolean remote;

    public ListCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Configuration config = common.configuration(context.env());
        ZoneId zone = config.zone();
        if (remote) {
            return listRemote(config, zone);
        }
        List<Backup> backups = context.useCases().listBackups(config).list();
        Instant now = context.clock().instant();
        Map<BackupName, Pin> pins = new HashMap<>();
        context.useCases().pinBackups(config).pins().stream().filter(p -> p.holdsAt(now))
                .forEach(p -> pins.put(p.backup(), p));
        if (json) {
            JsonArray array = new JsonArray();
            for (Backup b : backups) {
                JsonObject o = new JsonObject();
                o.addProperty("name", b.name().value());
                o.addProperty("storedName", b.storedName());
                o.addProperty("form", b.form().label());
                o.addProperty("takenAt", b.takenAt().toString());
                o.addProperty("sizeBytes", b.sizeBytes());
                o.addProperty("sha256", b.recordedSha256().orElse(null));
                o.addProperty("checksum", b.sidecar() instanceof Sidecar.Damaged ? "damaged"
                        : b.recordedSha256().isPresent() ? "recorded" : "missing");
                Pin pin = pins.get(b.name());
                if (pin == null) {
                    o.add("pinned", JsonNull.INSTANCE);
                } else {
                    JsonObject p = new JsonObject();
                    p.addProperty("until", pin.until().equals(Instant.MAX) ? null : pin.until().toString());
                    p.addProperty("reason", pin.reason());
                    o.add("pinned", p);
                }
                array.add(o);
            }
            context.out().println(Json.GSON.toJson(array));
        } else if (backups.isEmpty()) {
            context.out().println("No backups in " + config.backupDir());
        } else {
            context.out().printf("%-29s  %-5s  %-25s  %10s  %s%n", "NAME", "FORM", "TAKEN", "SIZE", "CHECKSUM");
            for (Backup b : backups) {
                context.out().printf("%-29s  %-5s  %-25s  %10s  %s%n", b.name(), b.form().label(),
                        Formats.time(b.takenAt(), zone),
                        Formats.size(b.sizeBytes()),
                        (b.sidecar() instanceof Sidecar.Damaged d ? "sidecar DAMAGED: " + d.problem()
                                : b.recordedSha256().isPresent() ? "sha256 recorded" : "no sidecar")
                                + (pins.containsKey(b.name()) ? "; pinned until "
                                        + Formats.pinnedUntil(pins.get(b.name()).until(), zone) + ": "
                                        + pins.get(b.name()).reason() : ""));
            }
            context.out().printf("%d backup(s) in %s%n", backups.size(), config.backupDir());
        }
        context.out().flush();
        return ExitCodes.OK;
    }

    private int listRemote(Configuration config, ZoneId zone) {
        List<RemoteBackup> backups = context.useCases().listBackups(config).listRemote();
        if (json) {
            JsonArray array = new JsonArray();
            for (RemoteBackup b : backups) {
                JsonObject o = new JsonObject();
                o.addProperty("name", b.name().value());
                o.addProperty("storedName", b.storedName());
                o.addProperty("form", b.form().label());
                o.addProperty("takenAt", b.name().instant().toString());
                o.addProperty("id", b.id());
                o.addProperty("sizeBytes", b.sizeBytes());
                o.addProperty("sha256", b.sha256().orElse(null));
                o.addProperty("md5", b.md5().orElse(null));
                o.addProperty("link", b.link().orElse(null));
                array.add(o);
            }
            context.out().println(Json.GSON.toJson(array));
        } else if (backups.isEmpty()) {
            context.out().println("No backups on Drive");
        } else {
            context.out().printf("%-29s  %-8s  %-25s  %10s  %s%n", "NAME", "FORM", "TAKEN", "SIZE",
                    "DRIVE FILE ID");
            for (RemoteBackup b : backups) {
                context.out().printf("%-29s  %-8s  %-25s  %10s  %s%n", b.name(), b.form().label(),
                        Formats.time(b.name().instant(), zone), Formats.size(b.sizeBytes()), b.id());
            }
            context.out().printf("%d backup(s) on Drive%n", backups.size());
        }
        context.out().flush();
        return ExitCodes.OK;
    }
}
