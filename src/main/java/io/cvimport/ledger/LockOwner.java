package io.cvimport.ledger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Who holds a run lock: a process, named by its host, its pid and its start instant (a
 * pid alone is reused). On the same host, whether that process still runs is a fact, not
 * a guess from a heartbeat.
 *
 * @param startMillis the process's start, epoch milliseconds; null where the system does not tell
 */
public record LockOwner(String host, long pid, @Nullable Long startMillis) {

    /**
     * Start instants are computed from the boot time, which the kernel reports to the
     * second and which drifts by a second between readers.
     */
    private static final long START_TOLERANCE_MILLIS = 2000;

    public static LockOwner current() {
        ProcessHandle self = ProcessHandle.current();
        return new LockOwner(hostName(), self.pid(), startMillis(self));
    }

    public boolean sameHost(LockOwner other) {
        return host.equals(other.host);
    }

    /** Whether this owner, a process of this host, is still running. */
    public boolean isRunningHere() {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        Long start = startMillis(process.get());
        return start == null || startMillis == null || Math.abs(start - startMillis) <= START_TOLERANCE_MILLIS;
    }

    @Override
    public String toString() {
        return "pid " + pid + " on " + host;
    }

    private static @Nullable Long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(null);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException e) {
            // The name is known even when it does not resolve: "name: name: Name or service not known".
            String message = String.valueOf(e.getMessage());
            int colon = message.indexOf(':');
            return colon > 0 ? message.substring(0, colon) : "unknown-host";
        }
    }
}
