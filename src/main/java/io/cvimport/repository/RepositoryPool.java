package io.cvimport.repository;

import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;

/**
 * The connection pool finds a dead database and a revived one by itself: a connection is
 * validated before it is lent, idle ones are kept alive (and dropped when dead), and a
 * request for a connection waits a few seconds for the pool to open a new one, so a
 * database that restarts is reconnected without a loop of our own.
 */
@Component
class RepositoryPool implements BeanPostProcessor {

    private static final Duration MAX_CONNECTION_WAIT = Duration.ofSeconds(5);
    private static final Duration KEEPALIVE = Duration.ofSeconds(30);

    /** Looked up when the pool is made: a post-processor's own dependencies are made too early to be bound well. */
    private final ObjectProvider<RepositoryOutageProperties> properties;

    RepositoryPool(ObjectProvider<RepositoryOutageProperties> properties) {
        this.properties = properties;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
            Duration tolerance = properties.getObject().repositoryOutageTolerance();
            Duration wait = tolerance.compareTo(MAX_CONNECTION_WAIT) < 0 ? tolerance : MAX_CONNECTION_WAIT;
            Duration connectionWait = wait.toMillis() < 500 ? Duration.ofMillis(500) : wait;
            pool.setConnectionTimeout(connectionWait.toMillis());
            pool.setValidationTimeout(connectionWait.toMillis() / 2);
            pool.setKeepaliveTime(KEEPALIVE.toMillis());
        }
        return bean;
    }
}
