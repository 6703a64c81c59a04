package io.cvimport.job;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;

/**
 * An H2 job repository writes every commit to its file at once, whatever URL the operator
 * gave: by default H2 holds commits back for half a second, and a {@code kill -9} in that
 * time would lose the ledger's record of imports already sent.
 */
@Component
class H2Durability implements BeanPostProcessor {

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource dataSource && dataSource.getJdbcUrl() != null
                && dataSource.getJdbcUrl().startsWith("jdbc:h2:") && dataSource.getConnectionInitSql() == null) {
            dataSource.setConnectionInitSql("SET WRITE_DELAY 0");
        }
        return bean;
    }
}
