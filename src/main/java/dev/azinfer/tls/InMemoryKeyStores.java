package dev.azinfer.tls;

import java.security.Security;

/**
 * Vert.x turns a PEM key pair (ours or the operator's) into a PKCS #12 key store held in memory, and
 * the JDK protects each key put into such a store with 10,000 rounds of PBKDF2, then spends as many
 * again to take it out: about a third of a second of every start on two slow cores. That store
 * never leaves the process, so its protection protects nothing; one round is enough. The process
 * writes no PKCS #12 file, and files it reads keep their own parameters.
 */
final class InMemoryKeyStores {

    static final String ITERATIONS = "keystore.pkcs12.keyPbeIterationCount";

    private InMemoryKeyStores() {}

    /** Sets one round, unless the operator chose a count (as a system or security property). */
    static void protectWithOneRound() {
        if (System.getProperty(ITERATIONS) == null && Security.getProperty(ITERATIONS) == null) {
            System.setProperty(ITERATIONS, "1");
        }
    }
}
