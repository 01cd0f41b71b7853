package org.tradingdemo.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tradingdemo.adapter.sqlite.SqliteOptions;
import org.tradingdemo.adapter.sqlite.SqliteStore;

/**
 * A database file the service cannot use stops {@code serve} with a non-zero exit code and ONE line
 * on standard error, starting with {@code error:} and saying what is wrong - no stack trace - and the
 * file is left as it was (nothing is "repaired" or migrated over it).
 */
class StartupFailureE2ETest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aFileOfRandomBytesIsNotADatabase() throws IOException {
        Path db = dir.resolve("data").resolve("trading.db");
        Files.createDirectories(db.getParent());
        byte[] garbage = randomBytes(64 * 1024, 1);
        Files.write(db, garbage);

        String line = serveFails(db);
        assertTrue(line.startsWith("error: database " + db + " is not a SQLite database ("), line);
        assertTrue(line.endsWith("; refusing to start"), line);
        assertArrayEquals(garbage, Files.readAllBytes(db), "the file is left alone");
    }

    @Test
    void aDatabaseWithDamagedPagesIsCorrupt() throws IOException {
        Path db = dir.resolve("trading.db");
        SqliteStore.open(db, SqliteOptions.defaults()).close();
        long size = Files.size(db);
        assertTrue(size >= 8 * 4096, "the schema spans pages: " + size);
        // keep the header page, overwrite the second half of the file (tables' and indexes' root pages)
        try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
            f.seek(size / 2 / 4096 * 4096);
            f.write(randomBytes((int) (size - size / 2 / 4096 * 4096), 2));
        }
        byte[] damaged = Files.readAllBytes(db);

        String line = serveFails(db);
        assertTrue(line.startsWith("error: database " + db + " is corrupt ("), line);
        assertTrue(line.endsWith("restore it from a backup; refusing to start"), line);
        assertArrayEquals(damaged, Files.readAllBytes(db), "the file is left alone");
    }

    @Test
    void aDatabaseOfANewerSchemaIsRefused() throws Exception {
        Path db = dir.resolve("trading.db");
        int latest;
        try (SqliteStore store = SqliteStore.open(db, SqliteOptions.defaults())) {
            latest = store.schemaVersion();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO schema_version (version, description, checksum, applied_at) VALUES (999, "
                    + "'from a later build', 'f00d', '2099-01-01T00:00:00.000000000Z')");
        }

        String line = serveFails(db);
        assertEquals("error: database " + db + " was written by a newer version (schema 999, this build knows " + latest + "); "
                + "refusing to start", line);
        assertEquals(999, maxSchemaVersion(db), "nothing migrated over it");
    }

    @Test
    void aDatabasePathUnderARegularFileCannotBeCreated() throws IOException {
        Path notAFolder = dir.resolve("not-a-folder");
        Files.writeString(notAFolder, "a regular file");
        Path db = notAFolder.resolve("trading.db");

        String line = serveFails(db);
        assertTrue(line.startsWith("error: cannot create the data folder " + notAFolder), line);
        assertEquals("a regular file", Files.readString(notAFolder));
    }

    /** The real process: exit code and the whole of standard error. */
    @Test
    void aChildProcessOnACorruptFileExitsNonZeroWithOneLine() throws IOException {
        Path db = dir.resolve("trading.db");
        Files.write(db, randomBytes(16 * 1024, 3));
        try (ChildJvm child = ChildJvm.start(dir, "refused", env(db), "serve", "--port", "0")) {
            int code = child.awaitExit(Duration.ofSeconds(60));
            assertNotEquals(0, code, "exit code");
            assertEquals(Main.USAGE_ERROR, code, "a configuration the service cannot use is exit code 2");
            List<String> lines = child.stderr().lines().toList();
            assertEquals(1, lines.size(), "exactly one line on stderr:\n" + child.stderr());
            assertTrue(lines.get(0).startsWith("error: database " + db + " is not a SQLite database ("), lines.get(0));
            assertFalse(child.stdout().contains("listening"), child.stdout());
        }
    }

    private Map<String, String> env(Path db) {
        return E2e.env(dir, Map.of("DB_PATH", db.toString(), "STORE", "sqlite", "METERING_GRPC_URL", "local",
                "OVERSIGHT_GRPC_URL", "local"));
    }

    /** Runs {@code serve} in this JVM; returns its one line on stderr after checking the rest. */
    private String serveFails(Path db) {
        int code = Main.run(new String[] {"serve"}, env(db), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), TradingServer::close);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertNotEquals(0, code, "exit code; stderr: " + stderr);
        assertEquals(Main.USAGE_ERROR, code, stderr);
        List<String> lines = stderr.lines().toList();
        assertEquals(1, lines.size(), "exactly one line on stderr:\n" + stderr);
        assertFalse(stderr.contains("Exception") || stderr.contains("\tat "), "no stack trace: " + stderr);
        assertEquals("", out.toString(StandardCharsets.UTF_8), "nothing on stdout");
        return lines.get(0);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static int maxSchemaVersion(Path db) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT max(version) FROM schema_version")) {
            return rs.getInt(1);
        }
    }
}
