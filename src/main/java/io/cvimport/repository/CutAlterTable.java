package io.cvimport.repository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.api.configuration.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.Resource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Finishes what an H2 {@code ALTER TABLE} cut off by a kill left behind. H2 changes a table's
 * columns by copying it under a name of its own ({@code T_COPY_s_n}, its indexes and
 * constraints prefixed with that name), dropping {@code T} and renaming the copy, each step
 * committed alone. Killed between the drop and the rename, {@code T} is gone, its rows are in
 * the copy, and the migration that altered it is not recorded: the next migrate fails on the
 * missing table. The copy is renamed back, so that the migration runs again on it (every
 * {@code ADD COLUMN} says {@code IF NOT EXISTS}). Killed before the drop, the copy is a
 * leftover beside a whole {@code T}: it is left alone, since it may as well be the copy of
 * another process's migration under way; when several copies are left of a table that is
 * gone, {@link #chosen} says which one is put back. Only tables the jar's own migrations alter are
 * touched; PostgreSQL's DDL is transactional and needs none of this.
 */
final class CutAlterTable {

    private static final Logger log = LoggerFactory.getLogger(CutAlterTable.class);
    private static final Pattern COPY = Pattern.compile("(.+)_COPY_\\d+_\\d+");
    private static final Pattern ALTERED = Pattern.compile("(?i)\\bALTER\\s+TABLE\\s+(?:IF\\s+EXISTS\\s+)?(\\w+)");

    private CutAlterTable() {
    }

    static void repair(Configuration configuration) {
        try (Connection connection = configuration.getDataSource().getConnection()) {
            if (!connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2")) {
                return;
            }
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
            Map<String, List<String>> lost = copiesOfLostTables(jdbc, altered(configuration));
            // Once a repair begins, a failure is the start's: Flyway would only say a table is missing.
            lost.forEach((table, copies) -> renameBack(jdbc, chosen(jdbc, table, copies), table));
        }
        catch (SQLException | IOException unreadable) {
            // Flyway's migrate, which comes next, reports what is wrong with the schema.
            log.debug("no cut ALTER TABLE looked for: {}", unreadable.toString());
        }
    }

    /** The copies of each table the jar's migrations alter that is itself gone, by table. */
    private static Map<String, List<String>> copiesOfLostTables(JdbcTemplate jdbc, Set<String> altered) {
        List<String> tables = jdbc.queryForList("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_SCHEMA = SCHEMA() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME", String.class);
        Map<String, List<String>> lost = new TreeMap<>();
        for (String table : tables) {
            Matcher copy = COPY.matcher(table);
            if (copy.matches() && altered.contains(copy.group(1)) && !tables.contains(copy.group(1))) {
                lost.computeIfAbsent(copy.group(1), t -> new ArrayList<>()).add(table);
            }
        }
        return lost;
    }

    /**
     * The copy to put back when several are left: a kill before the drop (inside the copy's
     * INSERT, say) leaves a copy beside a whole table, and the migration's next try makes
     * another. The one with rows, if only one has any; if none has (a first start), the one H2
     * got furthest with, by its indexes (made just before the drop). Two copies with rows
     * cannot be told apart here: the start stops rather than guess.
     */
    private static String chosen(JdbcTemplate jdbc, String table, List<String> copies) {
        if (copies.size() == 1) {
            return copies.get(0);
        }
        List<String> withRows = copies.stream().filter(copy -> Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM \"" + copy + "\")", Boolean.class))).toList();
        if (withRows.size() > 1) {
            throw new IllegalStateException("the job repository's table " + table + " is missing and H2 left "
                    + withRows.size() + " copies of it with rows (" + String.join(", ", withRows) + ") when it was"
                    + " stopped changing its columns: rename the right one to " + table + " and start again");
        }
        return withRows.size() == 1 ? withRows.get(0) : copies.stream().max(Comparator.comparingInt(
                copy -> indexes(jdbc, copy).size())).orElseThrow();
    }

    private static List<String> indexes(JdbcTemplate jdbc, String table) {
        return jdbc.queryForList("SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_SCHEMA = SCHEMA()"
                + " AND TABLE_NAME = ?", String.class, table);
    }

    private static void renameBack(JdbcTemplate jdbc, String copy, String table) {
        log.warn("The job repository's table {} was left as {} when H2 was stopped changing its columns;"
                + " renaming it back", table, copy);
        jdbc.execute("ALTER TABLE \"" + copy + "\" RENAME TO \"" + table + "\"");
        String prefix = copy + "_";
        for (String index : indexes(jdbc, table)) {
            if (index.startsWith(prefix)) {
                jdbc.execute("ALTER INDEX \"" + index + "\" RENAME TO \"" + index.substring(prefix.length()) + "\"");
            }
        }
        for (String constraint : jdbc.queryForList("SELECT CONSTRAINT_NAME FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS"
                + " WHERE TABLE_SCHEMA = SCHEMA() AND TABLE_NAME = ?", String.class, table)) {
            if (constraint.startsWith(prefix)) {
                jdbc.execute("ALTER TABLE \"" + table + "\" RENAME CONSTRAINT \"" + constraint + "\" TO \""
                        + constraint.substring(prefix.length()) + "\"");
            }
        }
    }

    /** The tables the jar's SQL migrations alter, in H2's upper case. */
    private static Set<String> altered(Configuration configuration) throws IOException {
        Set<String> tables = new HashSet<>();
        for (Resource script : CurrentSchema.sqlScripts(configuration)) {
            Matcher alter = ALTERED.matcher(script.getContentAsString(StandardCharsets.UTF_8));
            while (alter.find()) {
                tables.add(alter.group(1).toUpperCase(Locale.ROOT));
            }
        }
        return tables;
    }
}
