package io.cvimport.repository;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Says which job repository the run uses before anything opens it, so that it is in the
 * first lines even of a run that cannot reach it. Registered in {@code META-INF/spring.factories}.
 */
class RepositoryBanner implements ApplicationListener<ApplicationPreparedEvent> {

    private static final Logger log = LoggerFactory.getLogger(RepositoryBanner.class);

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        log.info("repository: {}", RepositoryInUse.describe(event.getApplicationContext().getEnvironment()));
    }
}
