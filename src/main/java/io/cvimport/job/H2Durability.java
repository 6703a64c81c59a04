package io.cvimport.job;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;

/**
 * An H2 job repository writes its commits to its file in the background, within half a
 * second (H2's default {@code WRITE_DELAY}, set again here: a file of an earlier version of
 * the job keeps the 0 it set, which wrote a page chain per commit). What {@code kill -9}
 * must not lose, the write-ahead of a send, is written before the send leaves by a
 * checkpoint of its own (io.cvimport.ledger.WriteAheadFlush), with every commit before it;
 * a later write lost is as if the run had been killed that much earlier. Space the file no
 * longer uses is written over at once ({@code RETENTION_TIME 0}): safe against {@code kill -9},
 * which leaves the operating system every write made; H2's default 45 s is meant for a machine
 * that loses power with writes not yet on its disk. An operator's own
 * {@code connection-init-sql} runs after this, and may set other values.
 */
@Component
class H2Durability implements BeanPostProcessor {

    /**
     * Writes in the background, and overwrites space no longer used at once (H2 keeps it 45 s
     * by default: with a chunk written per send, that was a gigabyte for 10,000 rows).
     */
    static final String WRITE_IN_BACKGROUND = "SET WRITE_DELAY 500; SET RETENTION_TIME 0";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource dataSource && dataSource.getJdbcUrl() != null
                && dataSource.getJdbcUrl().startsWith("jdbc:h2:")) {
            String operators = dataSource.getConnectionInitSql();
            // H2 runs the statements of one string in turn.
            dataSource.setConnectionInitSql(operators == null || operators.isBlank() ? WRITE_IN_BACKGROUND
                    : WRITE_IN_BACKGROUND + "; " + operators.strip());
        }
        return bean;
    }
}
