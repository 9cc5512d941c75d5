package dev.sqlitebackup.adapters.drive;

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

    static String ownFileNamed(String folderId, String name) {
        return "name = " + literal(name) + " and " + ownFilesIn(folderId);
    }

    private static String ownTag() {
        return "appProperties has { key=" + literal(DriveRemoteBackupStore.OWN_KEY) + " and value="
                + literal(DriveRemoteBackupStore.OWN_VALUE) + " }";
    }

    static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
