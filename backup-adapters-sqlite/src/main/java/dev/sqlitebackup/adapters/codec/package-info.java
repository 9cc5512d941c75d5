/**
 * The codec of stored copies: zstd frames (zstd-jni) and age files with X25519 recipients (jagged), in the standard
 * formats, so {@code zstd -d} and {@code age -d} read what the tool writes and the tool reads what they write; and
 * the age keys: recipients, identities, and new key pairs.
 */
package dev.sqlitebackup.adapters.codec;
