package io.cvimport.job;

import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
class RunLockConfiguration {

    static final String TTL = "import.lock-ttl:20s";

    @Bean
    DefaultLockRepository runLockRepository(DataSource dataSource, PlatformTransactionManager transactionManager,
            @Value("${" + TTL + "}") Duration ttl) {
        DefaultLockRepository repository = new DefaultLockRepository(dataSource);
        repository.setTransactionManager(transactionManager);
        repository.setTimeToLive((int) ttl.toMillis());
        return repository;
    }

    @Bean
    JdbcLockRegistry runLocks(DefaultLockRepository runLockRepository, @Value("${" + TTL + "}") Duration ttl) {
        return new JdbcLockRegistry(runLockRepository, ttl);
    }
}
