package dev.sqlitebackup.app.config;

import dev.sqlitebackup.domain.model.DataAssertion;
import dev.sqlitebackup.domain.model.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Data assertions in YAML: the file of {@code ASSERTIONS_FILE} (a top-level {@code assertions:} list), or the
 * {@code assertions:} list of a database (or of {@code defaults:}) in the YAML config. Each item has exactly
 * {@code name}, {@code sql} and {@code expect}; every problem, an unsafe query included, is one line naming the file,
 * the line and the key, before anything runs.
 */
final class AssertionsFile {

    private static final Set<String> KEYS = Set.of("name", "sql", "expect");

    private AssertionsFile() {
    }

    /** The assertions of the file {@code ASSERTIONS_FILE} names. */
    static List<DataAssertion> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("assertions file " + file + " does not exist");
        } catch (IOException e) {
            throw new ConfigurationException("assertions file " + file + " cannot be read: " + FileProblems.cause(e));
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        Optional<Node> root;
        try {
            root = new Compose(LoadSettings.builder().setLabel(file.toString()).build()).composeString(text);
        } catch (MarkedYamlEngineException e) {
            throw new ConfigurationException("assertions file " + file + e.getProblemMark()
                    .map(m -> " line " + (m.getLine() + 1)).orElse("") + " is not valid YAML: "
                    + String.valueOf(e.getProblem()).strip());
        } catch (YamlEngineException e) {
            throw new ConfigurationException("assertions file " + file + " is not valid YAML: " + e.getMessage());
        }
        String where = "assertions file " + file;
        if (root.isEmpty() || !(root.get() instanceof MappingNode mapping)) {
            throw new ConfigurationException(where + " must hold 'assertions:', a list of name, sql and expect");
        }
        SequenceNode list = null;
        for (NodeTuple tuple : mapping.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
            if (!key.equals("assertions")) {
                throw new ConfigurationException(where + " line " + line(tuple.getKeyNode()) + ": unknown key '" + key
                        + "' (the file holds only assertions:)");
            }
            if (!(tuple.getValueNode() instanceof SequenceNode sequence)) {
                throw new ConfigurationException(where + " line " + line(tuple.getValueNode())
                        + ", key assertions: must be a list of assertions (entries starting with '- ')");
            }
            list = sequence;
        }
        if (list == null) {
            throw new ConfigurationException(where + " must hold 'assertions:', a list of name, sql and expect");
        }
        return fromNode(list, where, "assertions");
    }

    /**
     * The assertions of a YAML list.
     *
     * @param where the file, for messages ({@code config file F})
     * @param key   the list's key, for messages ({@code databases[0].assertions})
     */
    static List<DataAssertion> fromNode(SequenceNode list, String where, String key) {
        List<DataAssertion> assertions = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < list.getValue().size(); i++) {
            Node item = list.getValue().get(i);
            String at = key + "[" + i + "]";
            if (!(item instanceof MappingNode mapping)) {
                throw new ConfigurationException(where + " line " + line(item) + ", key " + at
                        + ": an assertion is a mapping of name, sql and expect");
            }
            Map<String, String> fields = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String field = tuple.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
                if (!KEYS.contains(field)) {
                    throw new ConfigurationException(where + " line " + line(tuple.getKeyNode()) + ", key " + at + "."
                            + field + ": unknown key (an assertion has name, sql and expect)");
                }
                if (!(tuple.getValueNode() instanceof ScalarNode value) || value.getValue().isBlank()) {
                    throw new ConfigurationException(where + " line " + line(tuple.getValueNode()) + ", key " + at
                            + "." + field + ": must be a single, non-empty value");
                }
                if (fields.put(field, value.getValue()) != null) {
                    throw new ConfigurationException(where + " line " + line(tuple.getKeyNode()) + ", key " + at + "."
                            + field + ": given twice");
                }
            }
            for (String field : List.of("name", "sql", "expect")) {
                if (!fields.containsKey(field)) {
                    throw new ConfigurationException(where + " line " + line(item) + ", key " + at + ": an assertion "
                            + "needs " + field + " (name, sql and expect)");
                }
            }
            Integer first = names.putIfAbsent(fields.get("name"), line(item));
            if (first != null) {
                throw new ConfigurationException(where + " line " + line(item) + ", key " + at + ".name: '"
                        + fields.get("name") + "' names an assertion already (line " + first + ")");
            }
            try {
                assertions.add(new DataAssertion(fields.get("name"), fields.get("sql"),
                        DataAssertion.Expectation.parse(fields.get("expect"))));
            } catch (InvalidInputException e) {
                throw new ConfigurationException(where + " line " + line(item) + ", key " + at + ": "
                        + e.getMessage());
            }
        }
        return List.copyOf(assertions);
    }

    private static int line(Node node) {
        return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
    }
}
