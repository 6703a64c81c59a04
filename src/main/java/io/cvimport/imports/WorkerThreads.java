package io.cvimport.imports;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The engine's workers: named for the logs, daemons so that a stuck call never keeps the JVM up. */
final class WorkerThreads implements ThreadFactory {

    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, "import-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
