package dev.sqlitebackup.adapters.codec;

import com.exceptionfactory.jagged.x25519.X25519KeyPairGenerator;
import java.security.GeneralSecurityException;
import java.security.KeyPair;

/** Fresh age key pairs for tests, made by jagged as keygen makes them. */
final class TestKeys {

    /** A key pair: its identity (the secret) and, through it, its recipient. */
    record Pair(String secret, AgeIdentity identity, AgeRecipient recipient) {
    }

    private TestKeys() {
    }

    static Pair newPair() {
        try {
            KeyPair pair = new X25519KeyPairGenerator().generateKeyPair();
            String secret = pair.getPrivate().toString();
            AgeIdentity identity = AgeIdentity.parse(secret);
            return new Pair(secret, identity, AgeRecipient.parse(pair.getPublic().toString()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
