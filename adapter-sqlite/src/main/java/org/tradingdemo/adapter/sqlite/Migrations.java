package org.tradingdemo.adapter.sqlite;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned, checksummed schema migrations: a small runner rather than Flyway (see the module
 * README for why).
 *
 * <ul>
 *   <li>Migrations are SQL resources {@code migration/V<n>__<description>.sql} next to this class,
 *       listed in {@link #ALL} (a classpath folder cannot be listed reliably inside a fat jar). Versions
 *       are 1, 2, 3, ... without gaps.</li>
 *   <li>{@code schema_version} records each applied version with the SHA-256 of its text (line endings
 *       normalised to LF, so a checkout with CRLF does not count as a change).</li>
 *   <li>At open: a database holding a version this build does not know (newer) is refused; so is one
 *       whose applied migration text has changed since, and a non-empty database that has no
 *       {@code schema_version} (someone else's file). Then every missing version is applied, each in its
 *       own transaction together with its {@code schema_version} row: a failed migration leaves the
 *       previous version intact.</li>
 * </ul>
 */
final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    record Migration(int version, String description, String resource) {
        String sql() {
            try (InputStream in = Migrations.class.getResourceAsStream("migration/" + resource)) {
                if (in == null) {
                    throw new IllegalStateException("migration resource " + resource + " is missing from the build");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
            } catch (IOException e) {
                throw new IllegalStateException("cannot read migration " + resource, e);
            }
        }

        String checksum() {
            return sha256(sql());
        }
    }

    /** Every migration this build knows, in order. Add the next one here with its resource. */
    static final List<Migration> ALL = List.of(
            new Migration(1, "initial schema", "V1__initial_schema.sql"),
            new Migration(2, "hot tables without rowid", "V2__hot_tables_without_rowid.sql"),
            new Migration(3, "months from days", "V3__months_from_days.sql"));

    private Migrations() {
    }

    static int latest() {
        return ALL.get(ALL.size() - 1).version();
    }

    /**
     * Brings the database to {@link #latest()}.
     *
     * @return the schema version after migrating
     * @throws SqliteStoreException when the database must not be used by this build
     */
    static int migrate(Handle h, String database) {
        return migrate(h, database, ALL);
    }

    static int migrate(Handle h, String database, List<Migration> known) {
        int latest = known.get(known.size() - 1).version();
        boolean hasVersionTable = h.createQuery(
                        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'")
                .mapTo(Integer.class).one() > 0;
        if (!hasVersionTable) {
            int tables = h.createQuery("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                    .mapTo(Integer.class).one();
            if (tables > 0) {
                throw new SqliteStoreException("database " + database + " is not a Trading Demo database (it has "
                        + tables + " tables but no schema_version); refusing to start");
            }
            h.execute("CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL,"
                    + " checksum TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT");
        }
        Map<Integer, String> applied = new TreeMap<>();
        h.createQuery("SELECT version, checksum FROM schema_version ORDER BY version")
                .map((rs, ctx) -> Map.entry(rs.getInt("version"), rs.getString("checksum")))
                .forEach(e -> applied.put(e.getKey(), e.getValue()));
        int current = applied.isEmpty() ? 0 : ((TreeMap<Integer, String>) applied).lastKey();
        if (current > latest) {
            throw new SqliteStoreException("database " + database + " was written by a newer version (schema " + current
                    + ", this build knows " + latest + "); refusing to start");
        }
        for (Migration m : known) {
            String checksum = applied.get(m.version());
            if (checksum != null && !checksum.equals(m.checksum())) {
                throw new SqliteStoreException("database " + database + ": migration V" + m.version() + " ("
                        + m.description() + ") differs from the one applied to this file (checksum mismatch);"
                        + " refusing to start");
            }
            if (checksum == null && m.version() < current) {
                throw new SqliteStoreException("database " + database + " is at schema " + current + " but never applied V"
                        + m.version() + " (" + m.description() + "); refusing to start");
            }
        }
        for (Migration m : known) {
            if (m.version() > current) {
                apply(h, database, m);
                current = m.version();
            }
        }
        return current;
    }

    private static void apply(Handle h, String database, Migration m) {
        h.execute("BEGIN IMMEDIATE");
        try {
            h.createScript(m.sql()).execute();
            h.createUpdate("INSERT INTO schema_version (version, description, checksum, applied_at)"
                            + " VALUES (:version, :description, :checksum, :appliedAt)")
                    .bind("version", m.version())
                    .bind("description", m.description())
                    .bind("checksum", m.checksum())
                    .bind("appliedAt", Columns.instant(Instant.now()))
                    .execute();
            h.execute("COMMIT");
            LOG.info("database {}: applied migration V{} ({})", database, m.version(), m.description());
        } catch (RuntimeException e) {
            try {
                h.execute("ROLLBACK");
            } catch (RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw new SqliteStoreException("database " + database + ": migration V" + m.version() + " ("
                    + m.description() + ") failed: " + SqliteTransactions.oneLine(rootCause(e)), e);
        }
    }

    private static Throwable rootCause(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c;
    }

    static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
