package io.cvimport.logging;

import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;

import ch.qos.logback.classic.LoggerContext;

/**
 * Installs {@link HttpClientDebugFilter} once Spring Boot has configured logging (which
 * resets Logback's filters), so that no level setting can bring HttpClient's DEBUG output
 * back. Registered in {@code META-INF/spring.factories}.
 */
public class HttpClientDebugGuard implements ApplicationListener<ApplicationPreparedEvent> {

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(HttpClientDebugFilter.class::isInstance)) {
            HttpClientDebugFilter filter = new HttpClientDebugFilter();
            filter.start();
            context.addTurboFilter(filter);
        }
    }
}
