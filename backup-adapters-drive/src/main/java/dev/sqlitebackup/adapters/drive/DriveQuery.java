package dev.sqlitebackup.adapters.drive;

import java.util.List;
import java.util.stream.Collectors;

/** The Drive search queries ({@code q}) the store runs, with string literals escaped as Drive wants. */
final class DriveQuery {

    private DriveQuery() {
    }

    static String folderNamed(String name, String parentId) {
        return "name = " + literal(name) + " and mimeType = " + literal(DriveRemoteBackupStore.FOLDER_MIME)
                + " and " + literal(parentId) + " in parents and trashed = false";
    }

    static String ownFilesIn(String folderId) {
        return literal(folderId) + " in parents and trashed = false and " + ownTag();
    }

    /** The tool's files in the folder named any of {@code names} (one backup's copies in every form). */
    static String ownFilesNamed(String folderId, List<String> names) {
        String anyName = names.stream().map(name -> "name = " + literal(name)).collect(Collectors.joining(" or "));
        return "(" + anyName + ") and " + ownFilesIn(folderId);
    }

    private static String ownTag() {
        return "appProperties has { key=" + literal(DriveRemoteBackupStore.OWN_KEY) + " and value="
                + literal(DriveRemoteBackupStore.OWN_VALUE) + " }";
    }

    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
