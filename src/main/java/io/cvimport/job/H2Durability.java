package io.cvimport.job;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;

/**
 * An H2 job repository writes every commit to its file at once, whatever URL the operator
 * gave: by default H2 holds commits back for half a second, and a {@code kill -9} in that
 * time would lose the ledger's record of imports already sent. An operator's own
 * {@code connection-init-sql} runs first, and cannot bring the delay back.
 */
@Component
class H2Durability implements BeanPostProcessor {

    private static final String WRITE_AT_ONCE = "SET WRITE_DELAY 0";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource dataSource && dataSource.getJdbcUrl() != null
                && dataSource.getJdbcUrl().startsWith("jdbc:h2:")) {
            String operators = dataSource.getConnectionInitSql();
            // H2 runs the statements of one string in turn.
            dataSource.setConnectionInitSql(operators == null || operators.isBlank() ? WRITE_AT_ONCE
                    : operators.strip().replaceAll(";+$", "") + "; " + WRITE_AT_ONCE);
        }
        return bean;
    }
}
