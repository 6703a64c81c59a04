package io.cvimport.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLNonTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.LedgerDatabase;
import io.cvimport.ledger.LedgerRow;
import io.cvimport.ledger.LedgerRows;
import io.cvimport.ledger.RowStatus;

/**
 * The H2 database loses a committed write-ahead (closed without writing, as when an
 * AUTO_SERVER host is killed or the file is reopened after a full disk) between the
 * write-ahead's commit and the checkpoint that makes it durable, and the checkpoint fails as
 * an outage. The checkpoint that then succeeds on the reopened database must not let the send
 * leave on its own: the write-ahead is made again, and the row may be sent with the ledger's
 * file holding it SUBMITTING with its claim.
 */
class WriteAheadLostBeforeItsCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void aSendIsAllowedOnlyWithItsWriteAheadInTheLedger() {
        String url = "jdbc:h2:file:" + dir.resolve("repository") + ";DB_CLOSE_DELAY=-1";
        AtomicBoolean armed = new AtomicBoolean();
        DataSource dataSource = losingOnCheckpoint(new DriverManagerDataSource(url, "sa", ""), armed);
        LedgerDatabase database = new LedgerDatabase(dataSource);
        database.ledger().insert(1, List.of(
                new LedgerRow(1, RowStatus.PENDING, "westus2", "target", "token-1", null, null, null, null)));
        database.jdbc().execute("CHECKPOINT");
        database.jdbc().execute("SET WRITE_DELAY 60000"); // H2 leaves the commit to a later write
        RepositoryOutage outage = new RepositoryOutage(dataSource, new DataSourceTransactionManager(dataSource),
                new RepositoryOutageProperties(Duration.ofSeconds(20)));
        RideThroughOutages rideThrough = new RideThroughOutages(
                new StaticListableBeanFactory(Map.of("outage", outage)).getBeanProvider(RepositoryOutage.class));
        ImportLedger ledger = (ImportLedger) rideThrough.postProcessAfterInitialization(database.ledger(), "ledger");
        LedgerRows rows = new LedgerRows(ledger, 1, Long.MAX_VALUE);

        armed.set(true);
        boolean mayBeSent = rows.submitting(1, 1_000, false).mayBeSent();

        JdbcTemplate file = new JdbcTemplate(new DriverManagerDataSource(url, "sa", ""));
        file.execute("CHECKPOINT");
        assertThat(mayBeSent).isTrue();
        assertThat(file.queryForObject("SELECT status FROM import_ledger WHERE row_no = 1", String.class))
                .isEqualTo("SUBMITTING");
        assertThat(file.queryForObject("SELECT COUNT(*) FROM import_claim", Long.class)).isEqualTo(1);
    }

    /** The first CHECKPOINT once armed: the database closes without writing, and the statement fails as an outage. */
    private static DataSource losingOnCheckpoint(DataSource target, AtomicBoolean armed) {
        return proxy(DataSource.class, target, (method, result) -> method.equals("getConnection")
                ? proxy(Connection.class, (Connection) result, (m, r) -> m.equals("createStatement")
                        ? statement((Statement) r, armed) : r)
                : result);
    }

    private static Statement statement(Statement target, AtomicBoolean armed) {
        return (Statement) Proxy.newProxyInstance(Statement.class.getClassLoader(), new Class<?>[] { Statement.class },
                (p, method, args) -> {
                    if (method.getName().equals("execute") && args != null && args.length == 1
                            && "CHECKPOINT".equals(args[0]) && armed.compareAndSet(true, false)) {
                        target.execute("SHUTDOWN IMMEDIATELY");
                        throw new SQLNonTransientConnectionException("Database is already closed", "08003", 90098);
                    }
                    return invoke(target, method, args);
                });
    }

    interface After {
        Object apply(String method, Object result);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, T target, After after) {
        InvocationHandler handler = (p, method, args) -> after.apply(method.getName(), invoke(target, method, args));
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, handler);
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        }
        catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
