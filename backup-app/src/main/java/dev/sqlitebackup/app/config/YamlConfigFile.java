package dev.sqlitebackup.app.config;

import dev.sqlitebackup.domain.model.DataAssertion;
import dev.sqlitebackup.domain.model.DatabaseIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * A YAML config file of many databases ({@code --config FILE.yml}): {@code defaults:} (any per-database setting),
 * {@code databases:} (entries with {@code name} and {@code path} or {@code url}, or a {@code glob} whose matches are
 * each a database), and the top-level {@code parallelism:}. A database entry's value wins over {@code defaults:},
 * command-line flags win over both. The environment comes in only through {@code ${VAR}} and {@code ${VAR:-default}}
 * in values ({@code $${} is a literal {@code ${}}). Globs are expanded at every load. Every value is read by its
 * setting's parser here, so a bad one stops the command before any work; every error names the file, the line and
 * the key. docs/configuration.md has the table of keys ({@link #KEYS}).
 */
final class YamlConfigFile {

    /** The per-database keys (dotted inside {@code defaults:} or a database entry) and the settings they set. */
    static final Map<String, Setting<?>> KEYS = keys();

    /** The top-level key of {@link Settings#BACKUP_PARALLELISM}: one value for the whole installation. */
    static final String PARALLELISM = "parallelism";
    /** The top-level mapping of the metrics settings ({@code address:}, {@code textfile:}): installation-wide. */
    static final String METRICS = "metrics";
    /** The keys inside {@code metrics:} and the settings they set. */
    static final Map<String, Setting<?>> METRICS_KEYS = Map.of("address", Settings.METRICS_ADDRESS,
            "textfile", Settings.METRICS_TEXTFILE);
    /** The key of a list of data assertions, in defaults: or a database entry. */
    static final String ASSERTIONS = "assertions";

    private static final String BACKUP_ROOT = "backup_root";
    private static final String OFFSITE_AGE_RECIPIENTS = "offsite.age_recipients";
    /** Keys only a database entry takes (not {@code defaults:}). */
    private static final Set<String> ENTRY_ONLY = Set.of("name", "path", "url", "backup_dir", "glob", "name_from");
    /** Keys a glob entry does not take: its databases' names and folders come from the matches. */
    private static final List<String> NOT_FOR_GLOBS = List.of("name", "path", "url", "backup_dir");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern VARIABLE = Pattern.compile(
            "\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private static final List<String> SQLITE_SIDE_SUFFIXES = List.of("-wal", "-shm", "-journal");
    /** The folder inside a backup folder where the tool keeps its records (FilesystemBackupRepository's). */
    private static final String SCRATCH_DIR = ".sqlite-backup";
    /** The backup folder's record of its database's path, one line (FilesystemBackupRepository's). */
    private static final String DATABASE_RECORD = "database";

    private final Path file;
    private final Map<String, String> env;
    private final Set<String> usedVariables = new HashSet<>();
    /** The names of databases a glob matched in an earlier run, whose source is gone (their backups kept). */
    private final List<String> gone = new ArrayList<>();

    private YamlConfigFile(Path file, Map<String, String> env) {
        this.file = file;
        this.env = env;
    }

    private static Map<String, Setting<?>> keys() {
        Map<String, Setting<?>> k = new LinkedHashMap<>();
        k.put("keep.daily", Settings.BACKUP_KEEP_DAILY);
        k.put("keep.weekly", Settings.BACKUP_KEEP_WEEKLY);
        k.put("keep.monthly", Settings.BACKUP_KEEP_MONTHLY);
        k.put("keep.last", Settings.BACKUP_KEEP_LAST);
        k.put("timezone", Settings.BACKUP_TIMEZONE);
        k.put("vacuum", Settings.BACKUP_VACUUM);
        k.put("copy", Settings.BACKUP_COPY);
        k.put("verify", Settings.BACKUP_VERIFY);
        k.put("schedule", Settings.BACKUP_SCHEDULE);
        k.put("retry.attempts", Settings.BACKUP_RETRY_ATTEMPTS);
        k.put("retry.delay", Settings.BACKUP_RETRY_DELAY);
        k.put("shutdown_grace", Settings.BACKUP_SHUTDOWN_GRACE);
        k.put("state_db", Settings.BACKUP_STATE_DB);
        k.put("assertions_file", Settings.ASSERTIONS_FILE);
        k.put("drift.pin_days", Settings.DRIFT_PIN_DAYS);
        k.put("drift.max_shrink", Settings.DRIFT_MAX_SHRINK);
        k.put("drill.schedule", Settings.DRILL_SCHEDULE);
        k.put("local_compression", Settings.LOCAL_COMPRESSION);
        k.put("drive.enabled", Settings.DRIVE_ENABLED);
        k.put("drive.credentials", Settings.GOOGLE_DRIVE_CREDENTIALS);
        k.put("drive.folder", Settings.DRIVE_FOLDER);
        k.put("drive.parent_id", Settings.DRIVE_PARENT_ID);
        k.put("drive.root_url", Settings.DRIVE_ROOT_URL);
        k.put("drive.chunk_mb", Settings.DRIVE_CHUNK_MB);
        k.put("drive.keep.daily", Settings.DRIVE_KEEP_DAILY);
        k.put("drive.keep.weekly", Settings.DRIVE_KEEP_WEEKLY);
        k.put("drive.keep.monthly", Settings.DRIVE_KEEP_MONTHLY);
        k.put("drive.keep.last", Settings.DRIVE_KEEP_LAST);
        k.put("offsite.compression", Settings.OFFSITE_COMPRESSION);
        k.put("offsite.zstd_level", Settings.OFFSITE_ZSTD_LEVEL);
        k.put(OFFSITE_AGE_RECIPIENTS, Settings.AGE_RECIPIENTS);
        k.put("offsite.age_recipients_file", Settings.AGE_RECIPIENTS_FILE);
        k.put("offsite.age_identity_file", Settings.AGE_IDENTITY_FILE);
        k.put("ntfy.url", Settings.NTFY_URL);
        k.put("ntfy.topic", Settings.NTFY_TOPIC);
        k.put("ntfy.token", Settings.NTFY_TOKEN);
        k.put("ntfy.user", Settings.NTFY_USER);
        k.put("ntfy.password", Settings.NTFY_PASSWORD);
        k.put("ntfy.notify", Settings.NTFY_NOTIFY);
        k.put("ntfy.token_file", Settings.NTFY_TOKEN_FILE);
        k.put("ntfy.password_file", Settings.NTFY_PASSWORD_FILE);
        k.put("heartbeat.url", Settings.HEARTBEAT_URL);
        k.put("heartbeat.url_file", Settings.HEARTBEAT_URL_FILE);
        k.put("heartbeat.start", Settings.HEARTBEAT_START);
        k.put("heartbeat.fail_url", Settings.HEARTBEAT_FAIL_URL);
        k.put("heartbeat.fail_url_file", Settings.HEARTBEAT_FAIL_URL_FILE);
        k.put("heartbeat.start_url", Settings.HEARTBEAT_START_URL);
        k.put("heartbeat.start_url_file", Settings.HEARTBEAT_START_URL_FILE);
        return Collections.unmodifiableMap(k);
    }

    /** Whether {@code file} is read as YAML: its name ends in {@code .yml} or {@code .yaml}, in any case. */
    static boolean isYaml(Path file) {
        Path name = file.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        return lower.endsWith(".yml") || lower.endsWith(".yaml");
    }

    /**
     * The installation {@code file} describes.
     *
     * @param env   the process environment, read only through {@code ${VAR}} in the file
     * @param flags command-line flag values by setting key; they override every database's settings
     * @throws ConfigurationException naming the file and line, when the file is unusable in any way
     */
    static Installation load(Path file, Map<String, String> env, Map<String, Configuration.Flag> flags) {
        return new YamlConfigFile(file, env).load(flags);
    }

    /** A scalar value as read (with {@code ${VAR}} expanded), the line it is on and its full YAML key. */
    private record Value(String text, int line, String key) {
        Configuration.Given given(Path file) {
            return new Configuration.Given(text, new SettingSource.YamlKey(file, line, key));
        }
    }

    /** One database before its checks: its entry's values and where it came from, for messages. */
    private record Candidate(String name, Configuration configuration, String origin) {
    }

    /** The {@code assertions:} lists of {@code defaults} and of each entry ({@code databases[i]}), by where they are. */
    private final Map<String, List<DataAssertion>> inlineAssertions = new HashMap<>();

    /** The assertions of the entry at {@code at}: its own list, else that of defaults:, else none. */
    private List<DataAssertion> assertionsOf(String at) {
        return inlineAssertions.getOrDefault(at, inlineAssertions.getOrDefault("defaults", List.of()));
    }

    private Installation load(Map<String, Configuration.Flag> flags) {
        for (Setting<?> chosenByDb : List.of(Settings.DATABASE_URL, Settings.BACKUP_DIR)) {
            if (flags.containsKey(chosenByDb.key())) {
                throw new ConfigurationException(flags.get(chosenByDb.key()).name() + " cannot be used with the "
                        + "config file " + file + ", which lists the databases: pick one with --db NAME");
            }
        }
        MappingNode root = root();
        Map<String, Value> defaults = Map.of();
        SequenceNode list = null;
        Optional<Value> parallelism = Optional.empty();
        Map<String, Value> metrics = new LinkedHashMap<>();
        Node databasesKey = null;
        for (NodeTuple tuple : tuples(root, "")) {
            String key = keyName(tuple, "");
            Node value = tuple.getValueNode();
            switch (key) {
                case "defaults" -> defaults = flatten(mapping(value, "defaults"), "defaults", false);
                case "databases" -> {
                    databasesKey = tuple.getKeyNode();
                    if (!(value instanceof SequenceNode sequence)) {
                        throw error(value, "key databases: must be a list of databases (entries starting with '- ')");
                    }
                    list = sequence;
                }
                case PARALLELISM -> parallelism = Optional.of(scalar(value, PARALLELISM));
                case METRICS -> {
                    for (NodeTuple m : tuples(mapping(value, METRICS), METRICS + ".")) {
                        String name = keyName(m, METRICS + ".");
                        Setting<?> setting = METRICS_KEYS.get(name);
                        if (setting == null) {
                            throw unknownKey(m.getKeyNode(), METRICS + "." + name, METRICS + ".",
                                    List.copyOf(METRICS_KEYS.keySet()));
                        }
                        metrics.put(setting.key(), scalar(m.getValueNode(), METRICS + "." + name));
                    }
                }
                default -> throw unknownKey(tuple.getKeyNode(), key, "", List.of("defaults", "databases",
                        PARALLELISM, METRICS));
            }
        }
        if (list == null) {
            throw new ConfigurationException("config file " + file + " has no databases: list them under "
                    + "'databases:'");
        }
        if (list.getValue().isEmpty()) {
            throw error(databasesKey, "key databases: is empty: list at least one database");
        }
        Map<String, Configuration.Given> shared = new LinkedHashMap<>();
        parallelism.ifPresent(p -> shared.put(Settings.BACKUP_PARALLELISM.key(), p.given(file)));
        metrics.forEach((key, value) -> shared.put(key, value.given(file)));
        Configuration top = Configuration.fromYaml(shared, flags);
        int parallel = top.get(Settings.BACKUP_PARALLELISM);
        top.given(Settings.METRICS_ADDRESS); // a bad value is refused with its line, whatever the command
        top.given(Settings.METRICS_TEXTFILE);

        List<Candidate> candidates = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            Node entryNode = list.getValue().get(i);
            String path = "databases[" + i + "]";
            Map<String, Value> entry = flatten(mapping(entryNode, path), path, true);
            candidates.addAll(entry.containsKey("glob") ? globEntry(entryNode, path, entry, defaults, shared, flags,
                    warnings) : explicitEntry(entryNode, path, entry, defaults, shared, flags));
        }
        checkDistinct(candidates);
        List<ConfiguredDatabase> databases = candidates.stream()
                .map(c -> new ConfiguredDatabase(c.name(), c.configuration())).toList();
        warnings.addAll(unusedEnvironment());
        return Installation.of(databases, Optional.of(file), parallel, warnings, gone);
    }

    // ---- the file and its nodes ----

    private MappingNode root() {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("config file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigurationException("config file " + file + " cannot be read: " + FileProblems.cause(e));
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // Notepad's byte-order mark: not part of the first key
        }
        int tab = firstIndentingTab(text);
        if (tab > 0) {
            throw new ConfigurationException("config file " + file + " line " + tab
                    + ": a tab indents this line; YAML indents with spaces only");
        }
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file.toString()).build()).composeString(text);
        } catch (MarkedYamlEngineException e) {
            // at the end of the file the problem is where the unclosed thing began: the context's mark
            boolean atEnd = String.valueOf(e.getProblem()).contains("end")
                    && String.valueOf(e.getProblem()).contains("stream");
            Optional<Mark> mark = atEnd && e.getContextMark().isPresent() ? e.getContextMark()
                    : e.getProblemMark().or(e::getContextMark);
            throw new ConfigurationException("config file " + file + mark.map(m -> " line " + (m.getLine() + 1))
                    .orElse("") + " is not valid YAML: " + yamlProblem(e));
        } catch (YamlEngineException e) {
            throw new ConfigurationException("config file " + file + " is not valid YAML: " + e.getMessage());
        }
        if (root.isEmpty()) {
            throw new ConfigurationException("config file " + file + " is empty: list the databases under "
                    + "'databases:'");
        }
        if (!(root.get() instanceof MappingNode mapping)) {
            throw error(root.get(), "the file must be a mapping of keys (defaults:, databases:), not a "
                    + kind(root.get()));
        }
        return mapping;
    }

    /** The 1-based line of the first line indented with a tab, 0 when none is. */
    private static int firstIndentingTab(String text) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String indent = line.substring(0, line.length() - line.stripLeading().length());
            if (indent.indexOf('\t') >= 0 && !line.isBlank()) {
                return i + 1;
            }
        }
        return 0;
    }

    private static String yamlProblem(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        String context = e.getContext() == null ? "" : e.getContext();
        return (context.isEmpty() ? problem : context + ": " + problem).replaceAll("\\s+", " ").strip();
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }

    private ConfigurationException error(Node node, String problem) {
        return new ConfigurationException("config file " + file + " line " + line(node)
                + (problem.startsWith("key ") ? ", " : ": ") + problem);
    }

    private static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "mapping";
        }
        if (node instanceof SequenceNode) {
            return "list";
        }
        return "single value";
    }

    private MappingNode mapping(Node node, String key) {
        if (node instanceof MappingNode mapping) {
            return mapping;
        }
        throw error(node, "key " + key + ": must be a mapping of keys, got a " + kind(node)
                + (node instanceof ScalarNode s ? " '" + s.getValue() + "'" : ""));
    }

    /** The mapping's entries, a key given twice refused (YAML says keys are unique; a second one must not win). */
    private List<NodeTuple> tuples(MappingNode mapping, String prefix) {
        Map<String, Integer> seen = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = keyName(tuple, prefix);
            Integer first = seen.putIfAbsent(key, line(tuple.getKeyNode()));
            if (first != null) {
                throw error(tuple.getKeyNode(), "key " + prefix + key + ": given twice in one mapping (first on line "
                        + first + ")");
            }
        }
        return mapping.getValue();
    }

    private String keyName(NodeTuple tuple, String prefix) {
        if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
            throw error(tuple.getKeyNode(), "a key under " + (prefix.isEmpty() ? "the top level" : prefix)
                    + " must be a name, not a " + kind(tuple.getKeyNode()));
        }
        return key.getValue();
    }

    /**
     * The keys of a {@code defaults:} mapping or a database entry, flattened to their dotted names
     * ({@code keep.daily}), each checked to be one this version reads and its value to be a single value.
     */
    private Map<String, Value> flatten(MappingNode mapping, String at, boolean entry) {
        Map<String, Value> values = new LinkedHashMap<>();
        flatten(mapping, at, "", entry, values);
        return values;
    }

    private void flatten(MappingNode mapping, String at, String prefix, boolean entry, Map<String, Value> values) {
        for (NodeTuple tuple : tuples(mapping, at + "." + prefix)) {
            String name = prefix + keyName(tuple, at + "." + prefix);
            String full = at + "." + name;
            Node value = tuple.getValueNode();
            if (name.equals(PARALLELISM)) {
                throw error(tuple.getKeyNode(), "key " + full + ": parallelism is one setting of the whole file: "
                        + "give it at the top level");
            }
            if (name.equals(ASSERTIONS)) {
                if (!(value instanceof SequenceNode list)) {
                    throw error(value, "key " + full + ": must be a list of assertions (name, sql, expect)");
                }
                inlineAssertions.put(at, AssertionsFile.fromNode(list, "config file " + file, full));
                continue;
            }
            if (!entry && ENTRY_ONLY.contains(name)) {
                throw error(tuple.getKeyNode(), "key " + full + ": only a database entry under databases: takes "
                        + name);
            }
            if (KEYS.containsKey(name) || name.equals(BACKUP_ROOT) || ENTRY_ONLY.contains(name)) {
                values.put(name, name.equals(OFFSITE_AGE_RECIPIENTS) && value instanceof SequenceNode list
                        ? joined(list, full) : scalar(value, full));
            } else if (KEYS.keySet().stream().anyMatch(k -> k.startsWith(name + "."))) {
                flatten(mapping(value, full), at, name + ".", entry, values);
            } else {
                List<String> known = new ArrayList<>(KEYS.keySet());
                known.add(BACKUP_ROOT);
                if (entry) {
                    known.addAll(ENTRY_ONLY);
                }
                throw unknownKey(tuple.getKeyNode(), full, at + ".", known);
            }
        }
    }

    private ConfigurationException unknownKey(Node keyNode, String full, String at, List<String> known) {
        String key = full.substring(at.length());
        Optional<String> yamlKeyOfSetting = KEYS.entrySet().stream()
                .filter(e -> e.getValue().key().equalsIgnoreCase(key)).map(Map.Entry::getKey).findFirst();
        // an environment variable's name suggests its YAML key, at the top level the one in defaults:
        String suggestion = yamlKeyOfSetting.map(k -> at.isEmpty() ? "defaults." + k : at + k)
                .orElseGet(() -> at + Settings.nearest(key.toLowerCase(Locale.ROOT), known));
        return error(keyNode, "key " + full + ": unknown key (did you mean " + suggestion + "?)");
    }

    /** A single value, {@code ${VAR}} expanded. */
    private Value scalar(Node node, String key) {
        if (!(node instanceof ScalarNode scalar)) {
            throw error(node, "key " + key + ": must be a single value, got a " + kind(node));
        }
        if (scalar.getTag().equals(Tag.NULL)) {
            throw error(node, "key " + key + ": has no value (leave the key out for the default)");
        }
        return new Value(expand(scalar.getValue(), line(node), key), line(node), key);
    }

    /** A list of values as one comma-separated value (the form of the environment variable). */
    private Value joined(SequenceNode list, String key) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            texts.add(scalar(list.getValue().get(i), key + "[" + i + "]").text());
        }
        return new Value(String.join(",", texts), line(list), key);
    }

    /** {@code text} with {@code ${VAR}} and {@code ${VAR:-default}} replaced, {@code $${} kept as {@code ${}. */
    private String expand(String text, int line, String key) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$${")) {
                replacement = "${";
            } else {
                String variable = m.group(1);
                usedVariables.add(variable);
                String set = env.get(variable);
                if (m.group(2) != null) {
                    replacement = set == null || set.isEmpty() ? m.group(2) : set;
                } else if (set == null) {
                    throw new ConfigurationException("config file " + file + " line " + line + ", key " + key
                            + ": environment variable " + variable + " is not set (write ${" + variable
                            + ":-default} for a default)");
                } else {
                    replacement = set;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * Settings in the environment that the file does not use through {@code ${VAR}}: they do not apply (a leftover
     * DATABASE_URL must not quietly point somewhere else), and each gets a warning.
     */
    private List<String> unusedEnvironment() {
        return new TreeSet<>(env.keySet()).stream()
                .filter(Settings.KNOWN_KEYS::contains)
                .filter(k -> !env.get(k).isBlank() && !usedVariables.contains(k))
                .map(k -> "environment variable " + k + " is not applied: the settings come from config file " + file
                        + " (write ${" + k + "} in it to use the variable)")
                .toList();
    }

    // ---- databases ----

    /** The values of one database: {@code defaults:}, overridden by its entry, by setting key. */
    private Map<String, Configuration.Given> settings(Map<String, Value> defaults, Map<String, Value> entry,
            Map<String, Configuration.Given> shared) {
        Map<String, Configuration.Given> values = new LinkedHashMap<>(shared);
        for (Map<String, Value> layer : List.of(defaults, entry)) {
            layer.forEach((k, v) -> {
                Setting<?> setting = KEYS.get(k);
                if (setting != null) {
                    values.put(setting.key(), v.given(file));
                }
            });
        }
        return values;
    }

    private Optional<Value> backupRoot(Map<String, Value> defaults, Map<String, Value> entry) {
        return Optional.ofNullable(entry.get(BACKUP_ROOT)).or(() -> Optional.ofNullable(defaults.get(BACKUP_ROOT)))
                .filter(v -> !v.text().isBlank());
    }

    private static Value folderIn(Value root, String name) {
        String text = root.text().endsWith("/") ? root.text() + name : root.text() + "/" + name;
        return new Value(text, root.line(), root.key());
    }

    private List<Candidate> explicitEntry(Node node, String at, Map<String, Value> entry, Map<String, Value> defaults,
            Map<String, Configuration.Given> shared, Map<String, Configuration.Flag> flags) {
        Value name = entry.get("name");
        if (name == null) {
            throw error(node, "key " + at + ": a database needs a name (name: app) and a path or url (or a glob)");
        }
        checkName(name.text(), name.line(), name.key());
        if (entry.containsKey("name_from")) {
            throw error(node, "key " + at + ".name_from: only a glob entry takes name_from");
        }
        Value database;
        if (entry.containsKey("path") && entry.containsKey("url")) {
            throw error(node, "key " + at + ": give path or url, not both");
        } else if (entry.containsKey("path")) {
            database = entry.get("path");
        } else if (entry.containsKey("url")) {
            database = entry.get("url");
        } else {
            throw error(node, "key " + at + ": database '" + name.text() + "' needs a path (or a url)");
        }
        Map<String, Configuration.Given> values = settings(defaults, entry, shared);
        values.put(Settings.DATABASE_URL.key(), database.given(file));
        Optional.ofNullable(entry.get("backup_dir")).or(() -> backupRoot(defaults, entry)
                .map(root -> folderIn(root, name.text())))
                .ifPresent(dir -> values.put(Settings.BACKUP_DIR.key(), dir.given(file)));
        return List.of(candidate(name.text(), values, flags, assertionsOf(at), "'" + name.text() + "' (line "
                + name.line() + ")"));
    }

    private List<Candidate> globEntry(Node node, String at, Map<String, Value> entry, Map<String, Value> defaults,
            Map<String, Configuration.Given> shared, Map<String, Configuration.Flag> flags, List<String> warnings) {
        Value glob = entry.get("glob");
        for (String key : NOT_FOR_GLOBS) {
            if (entry.containsKey(key)) {
                throw error(node, "key " + at + "." + key + ": a glob entry takes no " + key + " (each match is a "
                        + "database named by name_from, backed up in <backup_root>/<name>)");
            }
        }
        String nameFrom = Optional.ofNullable(entry.get("name_from")).map(Value::text).orElse("file_stem");
        if (!nameFrom.equals("file_stem") && !nameFrom.equals("parent_dir")) {
            Value given = entry.get("name_from");
            throw new ConfigurationException("config file " + file + " line " + given.line() + ", key "
                    + given.key() + ": must be parent_dir or file_stem, got '" + nameFrom + "'");
        }
        Value root = backupRoot(defaults, entry).orElseThrow(() -> new ConfigurationException("config file " + file
                + " line " + glob.line() + ", key " + glob.key() + ": a glob needs backup_root (in defaults: or "
                + "in its entry), so that its databases' folders are <backup_root>/<name>"));
        Path pattern;
        try {
            pattern = Path.of(glob.text());
        } catch (InvalidPathException e) {
            throw globError(glob, "is not a path pattern: '" + glob.text() + "'");
        }
        if (!pattern.isAbsolute()) {
            throw globError(glob, "must be an absolute pattern (starting with /), got '" + glob.text() + "'");
        }
        Path rootFolder = absolute(root);
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (IllegalArgumentException e) {
            throw globError(glob, "is not a usable glob: " + e.getMessage().replaceAll("\\s+", " "));
        }
        List<Path> matches = matches(pattern, matcher, rootFolder);
        if (matches.isEmpty()) {
            warnings.add("config file " + file + " line " + glob.line() + ": glob " + glob.text()
                    + " matches no database");
        }
        Map<String, Path> byName = new HashMap<>();
        List<Candidate> candidates = new ArrayList<>();
        for (Path match : matches) {
            Path parent = match.getParent().getFileName();
            String name = nameFrom.equals("file_stem") ? stem(match.getFileName().toString())
                    : parent == null ? "" : parent.toString();
            if (!NAME.matcher(name).matches()) {
                throw globError(glob, "matches " + match + ", whose name from " + nameFrom + " '" + name
                        + "' cannot name a backup folder (letters, digits, '.', '_' and '-', up to 100, starting "
                        + "with a letter or digit)");
            }
            Path other = byName.putIfAbsent(name, match);
            if (other != null) {
                throw globError(glob, "gives two databases the name '" + name + "': " + other + " and " + match
                        + (nameFrom.equals("file_stem") ? " (name_from: parent_dir names them by their folder)" : ""));
            }
            Map<String, Configuration.Given> values = settings(defaults, entry, shared);
            values.put(Settings.DATABASE_URL.key(), new Value(match.toString(), glob.line(), glob.key()).given(file));
            values.put(Settings.BACKUP_DIR.key(), folderIn(root, name).given(file));
            candidates.add(candidate(name, values, flags, assertionsOf(at), "'" + name + "' (" + match
                    + ", glob on line " + glob.line() + ")"));
        }
        warnings.addAll(gone(pattern, matcher, rootFolder, matches));
        return candidates;
    }

    private ConfigurationException globError(Value glob, String problem) {
        return new ConfigurationException("config file " + file + " line " + glob.line() + ", key " + glob.key()
                + ": " + problem);
    }

    private Path absolute(Value root) {
        try {
            return Path.of(root.text()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new ConfigurationException("config file " + file + " line " + root.line() + ", key " + root.key()
                    + ": '" + root.text() + "' is not a valid path");
        }
    }

    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private void checkName(String name, int line, String key) {
        if (!NAME.matcher(name).matches()) {
            throw new ConfigurationException("config file " + file + " line " + line + ", key " + key + ": '" + name
                    + "' cannot name a database (letters, digits, '.', '_' and '-', up to 100, starting with a "
                    + "letter or digit: it names its backup folder and Drive folder)");
        }
    }

    /** The database's settings, every value given read now, so that a bad one stops the command before any work. */
    private static Candidate candidate(String name, Map<String, Configuration.Given> values,
            Map<String, Configuration.Flag> flags, List<DataAssertion> assertions, String origin) {
        Configuration configuration = Configuration.fromYaml(values, flags).named(name)
                .withInlineAssertions(assertions);
        for (Setting<?> setting : Settings.ALL) {
            configuration.given(setting);
        }
        return new Candidate(name, configuration, origin);
    }

    /** Names, database files and backup folders each belong to one database only. */
    private void checkDistinct(List<Candidate> candidates) {
        Map<String, Candidate> names = new HashMap<>();
        Map<Path, Candidate> databases = new HashMap<>();
        Map<Path, Candidate> folders = new HashMap<>();
        for (Candidate c : candidates) {
            Candidate sameName = names.putIfAbsent(c.name(), c);
            if (sameName != null) {
                throw new ConfigurationException("config file " + file + ": databases " + sameName.origin() + " and "
                        + c.origin() + " have the same name");
            }
            Path database = c.configuration().databaseIdentity().map(DatabaseIdentity::path).orElseThrow();
            Candidate sameDatabase = databases.putIfAbsent(database, c);
            if (sameDatabase != null) {
                throw new ConfigurationException("config file " + file + ": databases " + sameDatabase.origin()
                        + " and " + c.origin() + " are the same database file " + database);
            }
            Path folder = c.configuration().backupDir();
            Candidate sameFolder = folders.putIfAbsent(folder, c);
            if (sameFolder != null) {
                throw new ConfigurationException("config file " + file + ": databases " + sameFolder.origin() + " and "
                        + c.origin() + " have the same backup folder " + folder);
            }
        }
    }

    // ---- globs ----

    private static boolean hasGlobSyntax(String part) {
        return part.chars().anyMatch(ch -> ch == '*' || ch == '?' || ch == '[' || ch == '{' || ch == '\\');
    }

    /**
     * The regular files {@code matcher} matches, in path order: walked from the longest folder of the pattern without
     * glob syntax, never into a backup folder (one with {@code .sqlite-backup}), the backup root, or SQLite's
     * {@code -wal}, {@code -shm} and {@code -journal} files.
     */
    private static List<Path> matches(Path pattern, PathMatcher matcher, Path backupRoot) {
        Path start = pattern.getRoot();
        int literal = 0;
        while (literal < pattern.getNameCount() && !hasGlobSyntax(pattern.getName(literal).toString())) {
            start = start.resolve(pattern.getName(literal));
            literal++;
        }
        if (literal == pattern.getNameCount()) {
            return Files.isRegularFile(pattern) ? List.of(pattern) : List.of();
        }
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        String text = pattern.toString();
        boolean anyDepth = text.contains("**") || Pattern.compile("\\{[^}]*/[^}]*}").matcher(text).find();
        int depth = anyDepth ? Integer.MAX_VALUE : pattern.getNameCount() - literal;
        Path walkRoot = start;
        List<Path> found = new ArrayList<>();
        try {
            Files.walkFileTree(start, EnumSet.noneOf(FileVisitOption.class), depth, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(walkRoot) && (dir.equals(backupRoot)
                            || dir.getFileName().toString().equals(SCRATCH_DIR)
                            || Files.isDirectory(dir.resolve(SCRATCH_DIR)))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path candidate, BasicFileAttributes attrs) {
                    String name = candidate.getFileName().toString();
                    if (matcher.matches(candidate) && Files.isRegularFile(candidate)
                            && SQLITE_SIDE_SUFFIXES.stream().noneMatch(name::endsWith)) {
                        found.add(candidate);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path failed, IOException e) {
                    return FileVisitResult.CONTINUE; // a folder this user cannot read holds no database it can back up
                }
            });
        } catch (IOException e) {
            throw new ConfigurationException("glob " + pattern + " cannot be expanded: " + FileProblems.cause(e));
        }
        found.sort(null);
        return found;
    }

    /**
     * The backup folders in {@code backupRoot} whose database the glob matched once and is gone: each a warning.
     * Their backups stay: a vanished source is no reason to delete anything.
     */
    /** Warns about each database of this glob whose source is gone (a folder's record names it), and notes it. */
    private List<String> gone(Path pattern, PathMatcher matcher, Path backupRoot, List<Path> matches) {
        if (!Files.isDirectory(backupRoot)) {
            return List.of();
        }
        List<String> warnings = new ArrayList<>();
        try (Stream<Path> folders = Files.list(backupRoot)) {
            for (Path folder : folders.sorted().toList()) {
                Path record = folder.resolve(SCRATCH_DIR).resolve(DATABASE_RECORD);
                Optional<Path> recorded = recordedDatabase(record);
                if (recorded.isPresent() && matcher.matches(recorded.get()) && !matches.contains(recorded.get())
                        && !Files.exists(recorded.get())) {
                    warnings.add("database " + folder.getFileName() + " (" + recorded.get() + ") is gone: its "
                            + "backups in " + folder + " are kept");
                    gone.add(folder.getFileName().toString());
                }
            }
        } catch (IOException e) {
            warnings.add("cannot look for vanished databases of glob " + pattern + " in " + backupRoot + ": "
                    + FileProblems.cause(e));
        }
        return warnings;
    }

    private static Optional<Path> recordedDatabase(Path record) {
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        try {
            String line = Files.readString(record, StandardCharsets.UTF_8).strip();
            return line.isEmpty() ? Optional.empty() : Optional.of(Path.of(line));
        } catch (IOException | InvalidPathException e) {
            return Optional.empty(); // unreadable or foreign: not a folder this check can speak about
        }
    }
}
