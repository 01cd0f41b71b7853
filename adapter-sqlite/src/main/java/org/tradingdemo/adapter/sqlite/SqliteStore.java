package org.tradingdemo.adapter.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.sqlite3.SQLitePlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Every persistence port of the service on one SQLite file.
 *
 * <pre>
 * try (SqliteStore store = SqliteStore.open(Path.of("./data/trading.db"), SqliteOptions.defaults())) {
 *     store.transactions().run(() -&gt; store.trades().save(trade));
 * }
 * </pre>
 *
 * <h2>Opening</h2>
 * {@link #open} creates the parent folder, takes an exclusive lock on {@code <file>.lock} (one store per
 * file: the single-writer design assumes no other writer), opens the writer connection, checks the
 * file ({@code PRAGMA quick_check} unless disabled), applies the missing migrations ({@link Migrations})
 * and opens the read-only connections. Whatever refuses - a corrupt file, a file that is not a
 * database, an unwritable location, a file in use, a schema newer than this build - ends in a
 * {@link SqliteStoreException} whose message is one line for a person, for example
 * {@code database ./data/trading.db was written by a newer version (schema 7, this build knows 3); refusing to start}.
 *
 * <h2>Connections</h2>
 * Every connection runs with {@code journal_mode=WAL}, {@code foreign_keys=ON} and
 * {@code busy_timeout} ({@link SqliteOptions#busyTimeout()}). One writer connection, owned by one writer
 * thread, makes every write, in units of work committed in groups (see {@link SqliteTransactions});
 * a few read-only connections serve reads outside a unit of work, alongside the writer.
 *
 * <h2>Durability: {@code synchronous}, and what a crash can lose</h2>
 * In WAL mode a COMMIT appends the transaction to the {@code -wal} file before it returns; the caller
 * of a unit of work is released only after that COMMIT.
 * <table>
 *   <caption>What is lost, by {@code PRAGMA synchronous} in WAL mode</caption>
 *   <tr><th></th><th>kill -9 (process dies)</th><th>power cut / kernel crash</th></tr>
 *   <tr><td>NORMAL</td><td>nothing: the WAL pages were handed to the OS, which writes them out</td>
 *       <td>the commits since the last WAL sync (at checkpoints): recent acknowledged trades can
 *       vanish; the file stays consistent</td></tr>
 *   <tr><td>FULL (default)</td><td>nothing</td><td>nothing that was acknowledged (the WAL is fsynced
 *       before COMMIT returns), given a disk that honours fsync</td></tr>
 * </table>
 * The default is FULL: a trade acknowledged to a client must survive a power cut too, and group commit
 * makes one fsync cover a whole batch of units, so FULL costs little under load. NORMAL is for demos on
 * slow disks. Both are consistent after any crash: SQLite replays or ignores the WAL tail as a whole
 * transaction.
 *
 * <h2>Other</h2>
 * {@link #backupTo} writes a consistent online copy with {@code VACUUM INTO} on a reader connection
 * (the writer keeps going). {@link #isHealthy} is a cheap probe for readiness. {@link #close} lets
 * queued units finish, then closes the connections (the last one checkpoints the WAL into the file).
 */
public final class SqliteStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
    /** Prepared statements kept per connection; the repositories use a few dozen SQL texts. */
    private static final int STATEMENT_CACHE_SIZE = 128;
    private static final Duration CHECKPOINT_INTERVAL = Duration.ofMillis(250);

    private final Path file;
    private final String name;
    private final SqliteOptions options;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Handle writer;
    private final SqliteTransactions transactions;
    private final ReaderPool readers;
    private final int schemaVersion;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final SqliteAgentRepository agents;
    private final SqliteTradeRepository trades;
    private final SqlitePortfolioRepository portfolios;
    private final SqliteOversightRequestRepository oversightRequests;
    private final SqliteUsageLedger usageLedger;
    private final SqliteAlertRepository alerts;
    private final SqliteUserRepository users;
    private final SqliteOutbox outbox;
    private final Checkpointer checkpointer;

    private SqliteStore(Path file, String name, SqliteOptions options, FileChannel lockChannel, FileLock lock,
                        Handle writer, List<Handle> readerHandles, Checkpointer checkpointer, int schemaVersion) {
        this.file = file;
        this.name = name;
        this.options = options;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.writer = writer;
        this.schemaVersion = schemaVersion;
        this.transactions = new SqliteTransactions(writer, name, options);
        this.readers = new ReaderPool(name, readerHandles, options.readTimeout().toNanos());
        SqliteAccess access = new SqliteAccess(transactions, readers);
        this.agents = new SqliteAgentRepository(access, transactions);
        this.trades = new SqliteTradeRepository(access);
        this.portfolios = new SqlitePortfolioRepository(access, transactions);
        this.oversightRequests = new SqliteOversightRequestRepository(access);
        this.usageLedger = new SqliteUsageLedger(access, transactions);
        this.alerts = new SqliteAlertRepository(access);
        this.users = new SqliteUserRepository(access);
        this.outbox = new SqliteOutbox(access);
        this.checkpointer = checkpointer;
        this.transactions.start();
        this.checkpointer.start();
    }

    /**
     * Opens (creating if needed) the database file and brings its schema up to date.
     *
     * @throws SqliteStoreException with a one-line reason when the file cannot be used
     */
    public static SqliteStore open(Path dbFile, SqliteOptions options) {
        Objects.requireNonNull(dbFile, "dbFile");
        Objects.requireNonNull(options, "options");
        String name = dbFile.toString();
        Path file = dbFile.toAbsolutePath().normalize();
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            if (Files.isDirectory(file)) {
                throw new SqliteStoreException("database path " + name + " is a folder, not a file; refusing to start");
            }
            Path folder = file.getParent();
            createFolder(name, folder);
            FileChannel lockChannel = openLockFile(name, file);
            opened.push(lockChannel);
            FileLock lock = lock(name, lockChannel);
            opened.push(lock::release);

            Handle writer = connect(file, options, false);
            opened.push(writer);
            checkConnection(writer, name, options);
            if (options.quickCheckOnOpen()) {
                quickCheck(writer, name);
            }
            int version = Migrations.migrate(writer, name);

            List<Handle> readerHandles = new ArrayList<>(options.readerConnections());
            for (int i = 0; i < options.readerConnections(); i++) {
                Handle reader = connect(file, options, true);
                opened.push(reader);
                readerHandles.add(reader);
            }
            java.sql.Connection checkpointConnection = checkpointConnection(file, options);
            opened.push(checkpointConnection);
            // checkpoints run on their own thread (Checkpointer); the writer's own automatic checkpoint is
            // only the bound on the log's size (see Checkpointer)
            writer.execute("PRAGMA wal_autocheckpoint = " + Checkpointer.WRITER_AUTOCHECKPOINT_PAGES);
            Checkpointer checkpointer = new Checkpointer(name, checkpointConnection, CHECKPOINT_INTERVAL);
            SqliteStore store = new SqliteStore(file, name, options, lockChannel, lock, writer, readerHandles,
                    checkpointer, version);
            LOG.info("database {}: opened at schema {} (synchronous={}, {} readers)", name, version,
                    options.synchronous(), options.readerConnections());
            return store;
        } catch (VirtualMachineError e) {
            closeAll(opened);
            throw e;
        } catch (Throwable t) {
            closeAll(opened);
            throw OpenFailures.explain(name, t);
        }
    }

    private static void createFolder(String name, Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (FileSystemException e) {
            throw new SqliteStoreException("cannot create the folder " + folder + " for database " + name + " ("
                    + OpenFailures.fileSystem(e) + "); refusing to start", e);
        } catch (IOException e) {
            throw new SqliteStoreException("cannot create the folder " + folder + " for database " + name + " ("
                    + SqliteTransactions.oneLine(e) + "); refusing to start", e);
        }
    }

    private static FileChannel openLockFile(String name, Path file) {
        Path lockFile = lockFileOf(file);
        try {
            return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (FileSystemException e) {
            throw new SqliteStoreException("cannot write next to database " + name + " (" + OpenFailures.fileSystem(e)
                    + "); its folder must be writable; refusing to start", e);
        } catch (IOException e) {
            throw new SqliteStoreException("cannot write next to database " + name + " (" + SqliteTransactions.oneLine(e)
                    + "); refusing to start", e);
        }
    }

    private static FileLock lock(String name, FileChannel channel) {
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw new SqliteStoreException("database " + name + " is in use by another process (it holds "
                        + name + ".lock); refusing to start");
            }
            return lock;
        } catch (OverlappingFileLockException e) {
            throw new SqliteStoreException("database " + name + " is already open in this process; refusing to open it twice", e);
        } catch (IOException e) {
            throw new SqliteStoreException("cannot lock database " + name + " (" + SqliteTransactions.oneLine(e)
                    + "); refusing to start", e);
        }
    }

    static Path lockFileOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".lock");
    }

    /** The checkpointer's connection: plain JDBC, read-write, same settings as the writer. */
    private static java.sql.Connection checkpointConnection(Path file, SqliteOptions options) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, options.busyTimeout().toMillis()));
        java.sql.Connection c = config.createConnection("jdbc:sqlite:" + file);
        try (java.sql.Statement st = c.createStatement()) {
            // a checkpoint syncs the log and the database file as this setting says
            st.execute("PRAGMA synchronous = " + options.synchronous().name());
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private static Handle connect(Path file, SqliteOptions options, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, options.busyTimeout().toMillis()));
        config.setReadOnly(readOnly);
        // no "SELECT last_insert_rowid()" after every INSERT: nothing here reads generated keys, and the
        // driver's extra statement (created, run and closed per INSERT) was a fifth of an INSERT's cost
        config.setGetGeneratedKeys(false);
        SQLiteDataSource source = new SQLiteDataSource(config);
        source.setUrl("jdbc:sqlite:" + file);
        Jdbi jdbi = Jdbi.create(source).installPlugin(new SQLitePlugin())
                .setStatementBuilderFactory(CachingStatementBuilder.factory(STATEMENT_CACHE_SIZE));
        // error messages name the statement but never its bound values (password hashes, payloads)
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(SqliteStore::describeFailure);
        Handle h = jdbi.open();
        try {
            h.execute("PRAGMA synchronous = " + options.synchronous().name());
            // statement journals (a unit's SAVEPOINT) in memory, not in temporary files
            h.execute("PRAGMA temp_store = MEMORY");
            if (!readOnly) {
                // the writer keeps its page cache across transactions (nobody else writes): 64 MiB holds
                // the hot index pages of a large database instead of re-reading them from the OS
                h.execute("PRAGMA cache_size = -65536");
                DecimalAdd.register(h.getConnection());
            }
            return h;
        } catch (SQLException e) {
            h.close();
            throw new SqliteStoreException("cannot register SQL functions: " + SqliteTransactions.oneLine(e), e);
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    private static String describeFailure(StatementException e) {
        String sql = e.getStatementContext() == null ? null : e.getStatementContext().getRawSql();
        if (sql == null) {
            return e.getShortMessage();
        }
        String compact = sql.replaceAll("\\s+", " ").strip();
        return e.getShortMessage() + " [statement: " + (compact.length() <= 160 ? compact : compact.substring(0, 160) + "...")
                + "]";
    }

    /** The PRAGMAs really took: WAL needs a file system with shared memory, some network mounts refuse. */
    private static void checkConnection(Handle h, String name, SqliteOptions options) {
        String mode = h.createQuery("PRAGMA journal_mode").mapTo(String.class).one();
        if (!"wal".equalsIgnoreCase(mode)) {
            throw new SqliteStoreException("database " + name + " cannot use write-ahead logging (journal_mode is "
                    + mode + "); put it on a local disk; refusing to start");
        }
        int foreignKeys = h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one();
        int synchronous = h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one();
        int expected = switch (options.synchronous()) {
            case NORMAL -> 1;
            case FULL -> 2;
            case EXTRA -> 3;
        };
        if (foreignKeys != 1 || synchronous != expected) {
            throw new SqliteStoreException("database " + name + ": the connection settings did not apply (foreign_keys="
                    + foreignKeys + ", synchronous=" + synchronous + "); refusing to start");
        }
    }

    private static void quickCheck(Handle h, String name) {
        List<String> problems = h.createQuery("PRAGMA quick_check(3)").mapTo(String.class).list();
        if (!(problems.size() == 1 && "ok".equalsIgnoreCase(problems.get(0)))) {
            throw new SqliteStoreException("database " + name + " is corrupt (" + String.join("; ", problems)
                    .replaceAll("\\s+", " ") + "); restore it from a backup; refusing to start");
        }
    }

    private static void closeAll(Deque<AutoCloseable> opened) {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                LOG.debug("closing after a failed open", e);
            }
        }
    }

    // ------------------------------------------------------------------ ports

    /** The unit of work every repository of this store joins. */
    /** The checkpointer (tests). */
    Checkpointer checkpointer() {
        return checkpointer;
    }

    public SqliteTransactions transactions() {
        return transactions;
    }

    public SqliteAgentRepository agents() {
        return agents;
    }

    public SqliteTradeRepository trades() {
        return trades;
    }

    public SqlitePortfolioRepository portfolios() {
        return portfolios;
    }

    public SqliteOversightRequestRepository oversightRequests() {
        return oversightRequests;
    }

    public SqliteUsageLedger usageLedger() {
        return usageLedger;
    }

    public SqliteAlertRepository alerts() {
        return alerts;
    }

    public SqliteUserRepository users() {
        return users;
    }

    public SqliteOutbox outbox() {
        return outbox;
    }

    // ------------------------------------------------------------------ operations

    /** The absolute path of the database file. */
    public Path file() {
        return file;
    }

    /** The schema version of the open file (the latest this build knows). */
    public int schemaVersion() {
        return schemaVersion;
    }

    /** The writer's commit and batch counters, for metrics. */
    public SqliteTransactions.WriterStats writerStats() {
        return transactions.stats();
    }

    /**
     * Writes a consistent copy of the database as of one committed moment to {@code target}, while
     * the store keeps serving ({@code VACUUM INTO} on a reader connection, into a temporary file that is
     * synced and then moved into place; an existing {@code target} is replaced). The copy opens with
     * {@link #open} like the original.
     *
     * @throws SqliteStoreException when the copy cannot be written
     */
    public void backupTo(Path target) {
        Objects.requireNonNull(target, "target");
        Path out = target.toAbsolutePath().normalize();
        if (out.equals(file)) {
            throw new IllegalArgumentException("cannot back up database " + name + " onto itself");
        }
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp-" + System.nanoTime());
        try {
            Files.createDirectories(out.getParent());
            readers.read(h -> h.execute("VACUUM INTO ?", tmp.toString()));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("database {}: backed up to {}", name, target);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            if (e instanceof SqliteStoreException s) {
                throw s;
            }
            String reason = e instanceof FileSystemException fs ? OpenFailures.fileSystem(fs) : SqliteTransactions.oneLine(e);
            throw new SqliteStoreException("backup of database " + name + " to " + target + " failed: " + reason, e);
        }
    }

    /**
     * Backs up a database file that another process may be serving: opens it read-only with plain
     * JDBC (no store lock, no migrations - WAL lets this reader run beside the server's writer),
     * checks its schema is one this build knows, and runs {@code VACUUM INTO} a new file.
     *
     * @throws SqliteStoreException with one line when the source cannot be read or the target written
     */
    public static void backup(Path dbFile, Path target) {
        Path source = dbFile.toAbsolutePath().normalize();
        Path out = target.toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) {
            throw new SqliteStoreException("database " + dbFile + " does not exist; nothing to back up");
        }
        if (out.equals(source)) {
            throw new IllegalArgumentException("cannot back up database " + dbFile + " onto itself");
        }
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp-" + System.nanoTime());
        try {
            Files.createDirectories(out.getParent());
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:file:" + source + "?mode=ro");
                 java.sql.Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 5000");
                st.execute("VACUUM INTO '" + tmp.toString().replace("'", "''") + "'");
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | java.sql.SQLException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            String reason = e instanceof FileSystemException fs ? OpenFailures.fileSystem(fs) : SqliteTransactions.oneLine(e);
            throw new SqliteStoreException("backup of database " + dbFile + " to " + target + " failed: " + reason, e);
        }
    }

    /** Runs a read on a reader connection: diagnostics and tests in this package. */
    <T> T withReader(Function<Handle, T> read) {
        return readers.read(read);
    }

    /** A cheap readiness probe: the writer is running and a reader answers {@code SELECT 1}. */
    public boolean isHealthy() {
        if (closed.get() || !transactions.isRunning()) {
            return false;
        }
        try {
            return readers.read(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            LOG.warn("database {}: health check failed: {}", name, SqliteTransactions.oneLine(e));
            return false;
        }
    }

    /**
     * Stops taking units of work, lets the queued ones commit, closes every connection and releases
     * the file. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        boolean stopped = transactions.shutdown(options.writeTimeout().plusSeconds(1));
        readers.close();
        checkpointer.close();
        if (!stopped) {
            // the writer is still inside a unit: leave its connection and the lock to it, it is a daemon
            throw new SqliteStoreException("database " + name + ": the writer did not stop within "
                    + TimeUnit.MILLISECONDS.toSeconds(options.writeTimeout().toMillis() + 1000) + " s; the file stays locked");
        }
        try {
            writer.close();
        } catch (RuntimeException e) {
            LOG.warn("database {}: closing the writer connection: {}", name, SqliteTransactions.oneLine(e));
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.warn("database {}: releasing the lock file: {}", name, SqliteTransactions.oneLine(e));
        }
        SqliteTransactions.WriterStats stats = transactions.stats();
        LOG.info("database {}: closed; the writer committed {} units in {} transactions (largest {}), {} units failed",
                name, stats.committedUnits(), stats.commits(), stats.largestBatch(), stats.failedUnits());
    }

    @Override
    public String toString() {
        return "SqliteStore[" + name + ", schema " + schemaVersion + ", synchronous="
                + options.synchronous().name().toLowerCase(Locale.ROOT) + "]";
    }
}
