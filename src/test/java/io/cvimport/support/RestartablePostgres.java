package io.cvimport.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.SQLException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL of its own that a test stops and starts again on the same port and
 * data directory, as a failover or a restart looks to a client: connections are
 * terminated ("terminating connection due to administrator command"), then refused, then
 * accepted again with every committed row still there.
 */
public final class RestartablePostgres implements AutoCloseable {

    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    public RestartablePostgres(Path dataDirectory) throws IOException {
        this.dataDirectory = dataDirectory;
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
        start();
    }

    /** The JDBC URL of a database of this server, created if missing. */
    public String url(String database) throws SQLException {
        try (var connection = server.getPostgresDatabase().getConnection();
                var statement = connection.createStatement()) {
            var exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!exists.next()) {
                statement.execute("CREATE DATABASE " + database);
            }
        }
        return server.getJdbcUrl("postgres", database);
    }

    /** A fast shutdown: open sessions are terminated, new ones refused. */
    public void stop() throws IOException {
        server.close();
        server = null;
    }

    public void start() throws IOException {
        server = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false).start();
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            stop();
        }
    }
}
