package io.cvimport.scale;

import java.time.Duration;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.listener.DefaultMessageListenerContainer;
import org.springframework.jms.support.JmsUtils;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The worker's listener container, which waits for its broker as a worker should: trying it
 * every {@code retry}, so that a request sent to a broker that has just started (the
 * manager's own, or one restarted) is taken within that time, and saying so once, then once
 * every {@code remind}, rather than an error at each try. Workers are up before the manager
 * whose broker they wait for, and outlive it. The container's own recovery tries every 5 s
 * and logs an error at each try.
 */
final class BrokerWaitingContainer extends DefaultMessageListenerContainer {

    private static final Logger log = LoggerFactory.getLogger(BrokerWaitingContainer.class);

    private final Duration retry;
    private final Duration remind;

    BrokerWaitingContainer(Duration retry, Duration remind) {
        this.retry = retry;
        this.remind = remind;
    }

    /**
     * Until a connection is made and the queue's consumer created on it (so that a broker that
     * takes connections but refuses the consumer is not taken for a broker that answers), for as
     * long as the container runs.
     */
    @Override
    protected void refreshConnectionUntilSuccessful() {
        BackOffExecution pause = new FixedBackOff(retry.toMillis()).start();
        long since = System.nanoTime();
        long lastSaid = since;
        boolean said = false;
        while (isRunning()) {
            try {
                connectAndConsume();
                if (said) {
                    log.info("worker: the broker answers again, after {} s", seconds(since));
                }
                return;
            }
            catch (JMSException | RuntimeException e) {
                long now = System.nanoTime();
                if (!said || now - lastSaid >= remind.toNanos()) {
                    log.warn("worker: the broker is out of reach{} ({}); trying it every {} ms", said
                            ? " for " + seconds(since) + " s" : "", cause(e), retry.toMillis());
                    said = true;
                    lastSaid = now;
                }
            }
            applyBackOffTime(pause);
        }
    }

    private void connectAndConsume() throws JMSException {
        Connection connection;
        if (sharedConnectionEnabled()) {
            refreshSharedConnection();
            connection = getSharedConnection();
        }
        else {
            connection = createConnection();
        }
        Session session = null;
        MessageConsumer consumer = null;
        try {
            session = createSession(connection);
            consumer = createListenerConsumer(session);
        }
        finally {
            JmsUtils.closeMessageConsumer(consumer);
            JmsUtils.closeSession(session);
            if (!sharedConnectionEnabled()) {
                JmsUtils.closeConnection(connection);
            }
        }
    }

    private static String cause(Exception e) {
        return String.valueOf(e instanceof JMSException jms ? JmsUtils.buildExceptionMessage(jms) : e.getMessage());
    }

    private static long seconds(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toSeconds();
    }
}
