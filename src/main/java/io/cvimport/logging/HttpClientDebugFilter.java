package io.cvimport.logging;

import org.slf4j.Marker;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops HttpClient's log events below INFO whatever the configured levels: at DEBUG it
 * logs request lines (which hold export tokens) and headers (which hold training keys).
 */
public class HttpClientDebugFilter extends TurboFilter {

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        if (level != null && !level.isGreaterOrEqual(Level.INFO) && logger.getName().startsWith("org.apache.hc")) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
