package io.cvimport.imports.lanes;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The engine's threads: named for the logs, daemons so that a stuck call never keeps the JVM up. */
final class WorkerThreads implements ThreadFactory {

    private final String name;
    private final AtomicInteger count = new AtomicInteger();

    WorkerThreads() {
        this("import");
    }

    WorkerThreads(String name) {
        this.name = name;
    }

    @Override
    public Thread newThread(Runnable runnable) {
        Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    }
}
