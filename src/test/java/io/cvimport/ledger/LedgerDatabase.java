package io.cvimport.ledger;

import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A ledger on an in-memory H2 database of its own, its schema made by the job's own Flyway
 * migrations: for fast tests of what reads and writes the ledger, without a job.
 */
public final class LedgerDatabase {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final ImportLedger ledger;
    private final ResourceLinks resources;

    public LedgerDatabase() {
        this(new DriverManagerDataSource(
                "jdbc:h2:mem:ledger-" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1", "sa", ""));
    }

    /** A ledger on another database (PostgreSQL), its schema made by the same migrations. */
    public LedgerDatabase(DataSource dataSource) {
        this.dataSource = dataSource;
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
        ledger = new ImportLedger(jdbc, new ImportClaims(jdbc), new ImportSlots(jdbc), transactions, new Fence());
        resources = new ResourceLinks(jdbc, transactions);
    }

    public ImportLedger ledger() {
        return ledger;
    }

    public ResourceLinks resources() {
        return resources;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    /** Records that two targets are one resource, as a listing that showed the same project would. */
    public void link(String newcomer, String owner) {
        resources.link(newcomer, owner);
    }

    /** Drops the database: every later statement fails, as when the repository goes away. */
    public void drop() {
        jdbc.execute("DROP ALL OBJECTS");
    }
}
