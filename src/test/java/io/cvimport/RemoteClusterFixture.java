package io.cvimport;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A {@link RemoteCluster} of its own for each test, in the test's folder; every process it launched killed after it. */
abstract class RemoteClusterFixture {

    @TempDir
    Path dir;

    RemoteCluster cluster;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = new RemoteCluster(dir);
    }

    @AfterEach
    void stopCluster() throws Exception {
        cluster.close();
    }
}
