package dev.keel.shop.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Passwords of the services' database roles, derived from one secret, so that every process of the
 * Shop (all services in one, or one service per process) computes the same password for a role without
 * passing passwords around. The secret comes from {@code KEEL_SECRET} or a file made once in the data
 * directory (readable by its owner only).
 */
public final class ServiceSecrets {

    private final byte[] secret;

    private ServiceSecrets(byte[] secret) {
        this.secret = secret;
    }

    public static ServiceSecrets of(String secret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the secret must have at least 16 characters");
        }
        return new ServiceSecrets(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code KEEL_SECRET} if set, else the secret file in the directory, made on first use. */
    public static ServiceSecrets fromEnvironmentOrFile(Path directory) {
        String fromEnvironment = System.getenv("KEEL_SECRET");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return of(fromEnvironment);
        }
        Path file = directory.resolve("secret");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(directory);
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Path temporary = Files.createTempFile(directory, "secret", ".tmp");
                Files.writeString(temporary, HexFormat.of().formatHex(random));
                try {
                    Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system (Windows); the directory's permissions apply
                }
                try {
                    Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    Files.deleteIfExists(temporary);
                }
            }
            return of(Files.readString(file).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret in " + directory, e);
        }
    }

    /** The password of a role: HMAC-SHA256 of its name under the secret, in hex. */
    public String passwordFor(String role) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(role.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
