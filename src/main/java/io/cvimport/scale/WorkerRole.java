package io.cvimport.scale;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.stereotype.Component;
import io.cvimport.imports.step.ImportTasklet;
import io.cvimport.imports.step.RunningImports;


/**
 * A worker runs until it is stopped (SIGTERM): then the partitions it runs end at their next
 * round, their calls in flight recorded, and stay resumable (STOPPED), before the broker's
 * listeners and the process stop.
 */
@Component
@ConditionalOnProperty(name = "scale.role", havingValue = "worker")
class WorkerRole implements ApplicationRunner, ApplicationListener<ContextClosedEvent> {

    private static final Logger log = LoggerFactory.getLogger(WorkerRole.class);

    private final RunningImports imports;
    private final CountDownLatch closed = new CountDownLatch(1);

    WorkerRole(RunningImports imports) {
        this.imports = imports;
    }

    @Override
    public void run(ApplicationArguments args) throws InterruptedException {
        log.info("worker: waiting for import partitions on queue {}", PartitionRequests.QUEUE);
        closed.await();
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        imports.stopAll();
        closed.countDown();
    }
}
