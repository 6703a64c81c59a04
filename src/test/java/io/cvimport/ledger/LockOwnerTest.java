package io.cvimport.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A lock's owner is a process: alive here only if its pid runs and started when the owner says. */
class LockOwnerTest {

    /** Beyond any pid_max of Linux (4194304 at most). */
    private static final long NO_SUCH_PID = 999_999_999L;

    private static long myStart() {
        return ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
    }

    @Test
    void theCurrentOwnerIsThisProcessOnThisHostAndRunsHere() {
        LockOwner me = LockOwner.current();

        assertThat(me.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(me.host()).isNotBlank();
        assertThat(me.startMillis()).isNotNull();
        assertThat(Math.abs(me.startMillis() - myStart())).isLessThanOrEqualTo(2000);
        assertThat(me.isRunningHere()).isTrue();
    }

    @Test
    void aPidThatDoesNotRunIsNotRunningHere() {
        assertThat(new LockOwner("h", NO_SUCH_PID, null).isRunningHere()).isFalse();
        assertThat(new LockOwner("h", NO_SUCH_PID, 1L).isRunningHere()).isFalse();
    }

    @Test
    void aPidReusedByAProcessStartedAtAnotherTimeIsNotTheOwner() {
        long pid = ProcessHandle.current().pid();

        assertThat(new LockOwner("h", pid, myStart() - 60_000).isRunningHere()).isFalse();
        assertThat(new LockOwner("h", pid, myStart() + 60_000).isRunningHere()).isFalse();
    }

    @Test
    void aStartWithinTheKernelsDriftIsTheSameProcess() {
        long pid = ProcessHandle.current().pid();

        assertThat(new LockOwner("h", pid, myStart()).isRunningHere()).isTrue();
        assertThat(new LockOwner("h", pid, myStart() + 1000).isRunningHere()).isTrue();
        assertThat(new LockOwner("h", pid, myStart() - 1000).isRunningHere()).isTrue();
    }

    @Test
    void anOwnerWithoutAStartIsJudgedByItsPidAlone() {
        assertThat(new LockOwner("h", ProcessHandle.current().pid(), null).isRunningHere()).isTrue();
    }

    @Test
    void sameHostComparesHostsOnly() {
        LockOwner a = new LockOwner("host-a", 1, 5L);

        assertThat(a.sameHost(new LockOwner("host-a", 2, null))).isTrue();
        assertThat(a.sameHost(new LockOwner("host-b", 1, 5L))).isFalse();
    }

    @Test
    void anOwnerIsNamedByPidAndHost() {
        assertThat(new LockOwner("host-a", 42, 5L)).hasToString("pid 42 on host-a");
    }
}
