package io.cvimport.support;

import java.io.IOException;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** One real PostgreSQL per test JVM, started on first use on a free loopback port. */
public final class Postgres {

    private static EmbeddedPostgres server;

    private Postgres() {
    }

    /** A Spring test's job repository in this database of the JVM's PostgreSQL. */
    public static void repository(DynamicPropertyRegistry registry, String database) {
        registry.add("spring.datasource.url", () -> url(database));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
    }

    public static synchronized String url(String database) {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            }
            catch (IOException e) {
                throw new IllegalStateException("cannot start the embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                }
                catch (IOException ignored) {
                    // the JVM is ending
                }
            }));
        }
        try (var connection = server.getPostgresDatabase().getConnection();
                var statement = connection.createStatement()) {
            var exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!exists.next()) {
                statement.execute("CREATE DATABASE " + database);
            }
        }
        catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return server.getJdbcUrl("postgres", database);
    }
}
