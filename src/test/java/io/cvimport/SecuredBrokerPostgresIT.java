package io.cvimport;

import static io.cvimport.RemoteCluster.freePort;
import static io.cvimport.RemoteCluster.settledHere;
import static io.cvimport.RemoteCluster.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out as the deployment files run it, whole processes over real sockets: the manager's
 * broker listens beyond loopback and requires the user and password that the processes get
 * from their environment; a worker without them is refused and takes nothing, a worker with
 * them runs every partition and keeps its heartbeat file while it runs. The password appears in
 * no output. A manager that would open its broker without credentials does not start (exit 2).
 */
class SecuredBrokerPostgresIT {

    private static final String PASSWORD = "broker-pw-7c1d9e";
    private static final Map<String, String> CREDENTIALS = Map.of("SPRING_ARTEMIS_USER", "cvimport",
            "SPRING_ARTEMIS_PASSWORD", PASSWORD);

    @TempDir
    Path dir;

    private RemoteCluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aWorkerWithoutThePasswordIsRefusedAndOneWithItRunsTheWholeRun() throws Exception {
        cluster = new RemoteCluster(dir);
        int rows = 48;
        Path input = cluster.input("secured", rows);
        int port = freePort();
        String broker = "--spring.artemis.broker-url=tcp://127.0.0.1:" + port;
        // A worker without the password, trying the broker every 500 ms from before it starts: had
        // the broker let it in, it would say "the broker answers again" within a second of its start.
        JarProcess intruder = cluster.launch(cluster.common("--scale.role=worker", broker));
        waitFor("the intruder to try the broker", () -> intruder.output().contains("the broker is out of reach"));
        Path heartbeat = dir.resolve("worker/alive");
        JarProcess worker = cluster.launch(cluster.common("--scale.role=worker", broker, "--scale.worker-partitions=2",
                "--scale.worker-heartbeat-file=" + heartbeat), CREDENTIALS);
        JarProcess manager = cluster.launch(cluster.common("--input=" + input, "--scale.role=manager",
                "--scale.broker=embedded", "--scale.broker-host=0.0.0.0", "--scale.broker-port=" + port,
                "--import.partitions=2", "--import.rate-per-target=4"), CREDENTIALS);
        waitFor("the worker's heartbeat", () -> Files.exists(heartbeat));

        int code = manager.waitFor(300);
        String outputs = manager.output() + "\n--- worker:\n" + worker.output() + "\n--- intruder:\n"
                + intruder.output();
        assertThat(code).as(outputs).isZero();
        assertThat(cluster.statuses()).containsExactly(Map.entry("SUCCEEDED", (long) rows));
        cluster.assertImportedOnce("secured", rows);
        // Every row was run by the one worker the broker let in; the broker said why it refused the other.
        assertThat(settledHere(intruder)).as(outputs).isFalse();
        assertThat(manager.output()).as(outputs).contains("Unable to validate user");
        assertThat(intruder.output()).as(outputs).doesNotContain("the broker answers again");
        assertThat(Files.exists(heartbeat)).as("a running worker's heartbeat").isTrue();

        worker.terminate();
        worker.waitFor(120);
        assertThat(worker.isAlive()).as(worker.output()).isFalse();
        assertThat(heartbeat).as("a stopped worker leaves no heartbeat").doesNotExist();
        assertThat(outputs + worker.output()).doesNotContain(PASSWORD);
    }

    @Test
    void aManagerWhoseBrokerOtherHostsCouldReachDoesNotStartWithoutCredentials() throws Exception {
        cluster = new RemoteCluster(dir);
        Path input = cluster.input("open", 4);
        JarProcess manager = cluster.launch(cluster.common("--input=" + input, "--scale.role=manager",
                "--scale.broker=embedded", "--scale.broker-host=0.0.0.0", "--scale.broker-port=" + freePort()));
        assertThat(manager.waitFor(120)).as(manager.output()).isEqualTo(2);
        assertThat(manager.output()).contains("bad option").contains("SPRING_ARTEMIS_PASSWORD")
                .doesNotContain("rows to import");
    }
}
