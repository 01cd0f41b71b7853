package org.tradingdemo.launcher;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HS256 key when {@code JWT_SECRET} is not set: generated once (48 random bytes, base64url, so
 * 64 bytes of key text), kept in {@code <data folder>/jwt-secret} readable by the owner only, and
 * reused on every later start - so tokens survive a restart and {@code token} signs with the same
 * key as {@code serve}. The file holds the key as text: {@code JWT_SECRET=$(cat data/jwt-secret)}
 * gives the same key.
 */
final class JwtSecretFile {

    static final String FILE_NAME = "jwt-secret";
    private static final int RANDOM_BYTES = 48;
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final Logger log = LoggerFactory.getLogger(JwtSecretFile.class);

    private JwtSecretFile() {
    }

    /** The configured key, else the kept one, created on first use. */
    static Secret resolve(ServiceConfig config) {
        if (config.jwtSecret().isPresent()) {
            return config.jwtSecret().get();
        }
        Path file = config.dataDir().resolve(FILE_NAME);
        return read(file).orElseGet(() -> create(file));
    }

    /** The configured key, else the kept one; never creates one (for {@code token}, which must match the server). */
    static Optional<Secret> existing(ServiceConfig config) {
        if (config.jwtSecret().isPresent()) {
            return config.jwtSecret();
        }
        return read(config.dataDir().resolve(FILE_NAME));
    }

    private static Optional<Secret> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            tightenPermissions(file);
            Secret secret = Secret.of(Files.readString(file, StandardCharsets.UTF_8).strip());
            if (secret.byteLength() < ServiceConfig.MIN_SECRET_BYTES) {
                throw new ConfigException("the JWT key in " + file + " is shorter than " + ServiceConfig.MIN_SECRET_BYTES
                        + " bytes; delete the file to have a new one generated, or set JWT_SECRET");
            }
            return Optional.of(secret);
        } catch (IOException e) {
            throw new ConfigException("cannot read the JWT key " + file + ": " + e.getMessage()
                    + " (set JWT_SECRET or fix the file's permissions)", e);
        }
    }

    private static Secret create(Path file) {
        byte[] random = new byte[RANDOM_BYTES];
        new SecureRandom().nextBytes(random);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        try {
            Files.createDirectories(file.getParent());
            // CREATE_NEW: if another process won the race, use its key rather than overwrite it
            try (OutputStream out = Files.newOutputStream(createOwnerOnly(file), StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC)) {
                out.write((key + "\n").getBytes(StandardCharsets.UTF_8));
            }
            log.info("generated a JWT key in {} (owner-only); set JWT_SECRET to use your own", file);
            return Secret.of(key);
        } catch (FileAlreadyExistsException e) {
            return read(file).orElseThrow(() -> new ConfigException("cannot read the JWT key " + file));
        } catch (IOException e) {
            throw new ConfigException("cannot write the JWT key " + file + ": " + e.getMessage()
                    + " (set JWT_SECRET or DB_PATH to a writable folder)", e);
        }
    }

    private static Path createOwnerOnly(Path file) throws IOException {
        if (isPosix(file.getParent())) {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            return Files.createFile(file, attr);
        }
        Path created = Files.createFile(file);
        File f = created.toFile();
        // not POSIX (Windows): take read and write away from everyone, then give them back to the owner
        boolean ok = f.setReadable(false, false) & f.setWritable(false, false) & f.setExecutable(false, false)
                & f.setReadable(true, true) & f.setWritable(true, true);
        if (!ok) {
            log.warn("could not restrict the permissions of {}; restrict them by hand", created);
        }
        return created;
    }

    /** A key file others can read is a leaked key: say so and close it up. */
    private static void tightenPermissions(Path file) throws IOException {
        if (!isPosix(file)) {
            return;
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(current)) {
            log.warn("{} was readable by others ({}); restricting it to its owner. Consider rotating the key.",
                    file, PosixFilePermissions.toString(current));
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
