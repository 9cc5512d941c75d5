package dev.sqlitebackup.app.cli;

import dev.sqlitebackup.app.config.Configuration;
import dev.sqlitebackup.app.config.Settings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code notify-test}: one test notification, for setting ntfy up. */
@Command(name = "notify-test", mixinStandardHelpOptions = true,
        description = "Send one test notification through ntfy (NTFY_TOPIC, NTFY_URL, ...); exit 0 when it was "
                + "delivered, 1 when not (the reason is logged), 2 when ntfy is not configured.")
public final class NotifyTestCommand implements Callable<Integer> {

    private final CliContext context;

    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Option(names = "--json", description = "Print the outcome as JSON (docs/json.md).")
    boolean json;

    public NotifyTestCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Configuration config = common.configuration(context.env());
        boolean delivered = context.useCases().sendTestNotification(config);
        String topic = config.given(Settings.NTFY_TOPIC).orElse("?");
        if (delivered && json) {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.addProperty("delivered", true);
            o.addProperty("topic", topic);
            Json.print(context.out(), o);
            return ExitCodes.OK;
        }
        if (delivered) {
            context.out().println("Test notification delivered to topic " + config.given(Settings.NTFY_TOPIC).orElse("?"));
            context.out().flush();
            return ExitCodes.OK;
        }
        context.err().println("sqlite-backup: test notification to topic " + config.given(Settings.NTFY_TOPIC).orElse("?")
                + " was not delivered (see the warning above)");
        context.err().flush();
        if (json) {
            Json.print(context.out(), Json.error(ExitCodes.FAILED, "test notification to topic " + topic
                    + " was not delivered (see the warning on stderr)"));
        }
        return ExitCodes.FAILED;
    }
}
