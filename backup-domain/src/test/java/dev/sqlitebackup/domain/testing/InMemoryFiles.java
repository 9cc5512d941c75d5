package dev.sqlitebackup.domain.testing;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A tiny in-memory file store that the in-memory fakes share, so a copy one fake writes another can read. */
public final class InMemoryFiles {

    private final Map<Path, byte[]> files = new ConcurrentHashMap<>();

    public void write(Path path, byte[] content) {
        files.put(path.normalize(), content.clone());
    }

    public Optional<byte[]> read(Path path) {
        return Optional.ofNullable(files.get(path.normalize())).map(byte[]::clone);
    }

    public boolean exists(Path path) {
        return files.containsKey(path.normalize());
    }

    public void delete(Path path) {
        files.remove(path.normalize());
    }

    /** Every file directly or indirectly under {@code folder}, sorted. */
    public Set<Path> under(Path folder) {
        Path f = folder.normalize();
        Map<Path, byte[]> sorted = new TreeMap<>(files);
        sorted.keySet().removeIf(p -> !p.startsWith(f) || p.equals(f));
        return sorted.keySet();
    }
}
