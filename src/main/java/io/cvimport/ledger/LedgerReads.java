package io.cvimport.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The ledger's queries: what the load step compares rows with, which rows the import
 * step works, and the outcomes the summary and the report show. Reads only.
 */
final class LedgerReads {

    /** Bounds IN lists so that statements stay small whatever the input's size. */
    private static final int IN_LIST = 500;
    /** A row's outcome with the resource its target belongs to. */
    static final String OUTCOMES = """
            SELECT l.*, COALESCE(r.resource_id, l.target_fp) AS resource FROM import_ledger l
            LEFT JOIN target_resource r ON r.target_fp = l.target_fp
            """;

    private final NamedParameterJdbcTemplate jdbc;

    LedgerReads(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Map<TokenTarget, Long> firstRows(long instance, Collection<TokenTarget> pairs) {
        Map<TokenTarget, Long> first = new HashMap<>();
        forTokens(pairs, (tokens, wanted) -> jdbc.query("""
                SELECT l.token_fp, COALESCE(r.resource_id, l.target_fp) AS resource, MIN(l.row_no) AS first_row
                FROM import_ledger l LEFT JOIN target_resource r ON r.target_fp = l.target_fp
                WHERE l.job_instance_id = :instance AND l.token_fp IN (:tokens)
                GROUP BY l.token_fp, COALESCE(r.resource_id, l.target_fp)
                """, new MapSqlParameterSource("instance", instance).addValue("tokens", tokens), rs -> {
            TokenTarget pair = new TokenTarget(rs.getString("token_fp"), rs.getString("resource"));
            if (wanted.contains(pair)) {
                first.put(pair, rs.getLong("first_row"));
            }
        }));
        return first;
    }

    Map<TokenTarget, Outcome> succeededElsewhere(long instance, Collection<TokenTarget> pairs) {
        Map<TokenTarget, Outcome> held = new HashMap<>();
        forTokens(pairs, (tokens, wanted) -> jdbc.query(OUTCOMES + """
                WHERE l.token_fp IN (:tokens) AND l.job_instance_id <> :instance AND l.status = 'SUCCEEDED'
                ORDER BY l.job_instance_id, l.row_no
                """, new MapSqlParameterSource("instance", instance).addValue("tokens", tokens), rs -> {
            TokenTarget pair = new TokenTarget(rs.getString("token_fp"), rs.getString("resource"));
            if (wanted.contains(pair)) {
                held.putIfAbsent(pair, outcome(rs));
            }
        }));
        return held;
    }

    LoadedRows loadedRows(long instance) {
        return new LoadedRows() {
            @Override
            public long last() {
                return lastRowNo(instance);
            }

            @Override
            public long count() {
                return rowCount(instance);
            }

            @Override
            public Set<Long> between(long from, long to) {
                return rowNumbersBetween(instance, from, to);
            }
        };
    }

    long count(long instance, Collection<RowStatus> statuses) {
        Long count = jdbc.queryForObject("""
                SELECT COUNT(*) FROM import_ledger WHERE job_instance_id = :instance AND status IN (:statuses)
                """, new MapSqlParameterSource("instance", instance).addValue("statuses", names(statuses)), Long.class);
        return count == null ? 0 : count;
    }

    long lastRowNo(long instance) {
        Long last = jdbc.queryForObject("""
                SELECT COALESCE(MAX(row_no), 0) FROM import_ledger WHERE job_instance_id = :instance
                """, new MapSqlParameterSource("instance", instance), Long.class);
        return last == null ? 0 : last;
    }

    long rowCount(long instance) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM import_ledger WHERE job_instance_id = :instance",
                new MapSqlParameterSource("instance", instance), Long.class);
        return count == null ? 0 : count;
    }

    Set<Long> rowNumbersBetween(long instance, long from, long to) {
        return new HashSet<>(jdbc.queryForList("""
                SELECT row_no FROM import_ledger WHERE job_instance_id = :instance AND row_no BETWEEN :from AND :to
                """, new MapSqlParameterSource("instance", instance).addValue("from", from).addValue("to", to),
                Long.class));
    }

    List<OpenRow> rowsBetween(long instance, long from, long to, Collection<RowStatus> statuses) {
        return openRows("row_no BETWEEN :from AND :to", "", new MapSqlParameterSource("instance", instance)
                .addValue("from", from).addValue("to", to).addValue("statuses", names(statuses)));
    }

    /** Rows streamed from the input: loaded by an older version (no offset), or with their target unknown. */
    List<OpenRow> streamedRowsBetween(long instance, long from, long to, Collection<RowStatus> statuses) {
        return openRows("row_no BETWEEN :from AND :to AND (input_offset IS NULL OR target_fp IS NULL)", "",
                new MapSqlParameterSource("instance", instance).addValue("from", from).addValue("to", to)
                        .addValue("statuses", names(statuses)));
    }

    /** The first {@code limit} rows after {@code afterRow} read at their offsets, of one target or of all. */
    List<OpenRow> rowsAtOffsets(long instance, @Nullable String target, long afterRow, int limit,
            Collection<RowStatus> statuses) {
        return openRows("row_no > :after AND input_offset IS NOT NULL AND target_fp "
                + (target == null ? "IS NOT NULL" : "= :target"), " FETCH FIRST %d ROWS ONLY".formatted(limit),
                new MapSqlParameterSource("instance", instance).addValue("after", afterRow)
                        .addValue("target", target).addValue("statuses", names(statuses)));
    }

    List<String> targetsAtOffsets(long instance, Collection<RowStatus> statuses) {
        return jdbc.queryForList("""
                SELECT DISTINCT target_fp FROM import_ledger WHERE job_instance_id = :instance
                AND status IN (:statuses) AND input_offset IS NOT NULL AND target_fp IS NOT NULL ORDER BY target_fp
                """, new MapSqlParameterSource("instance", instance).addValue("statuses", names(statuses)),
                String.class);
    }

    boolean anyStreamed(long instance, Collection<RowStatus> statuses) {
        return !jdbc.queryForList("""
                SELECT row_no FROM import_ledger WHERE job_instance_id = :instance AND status IN (:statuses)
                AND (input_offset IS NULL OR target_fp IS NULL) FETCH FIRST 1 ROWS ONLY
                """, new MapSqlParameterSource("instance", instance).addValue("statuses", names(statuses)),
                Long.class).isEmpty();
    }

    private List<OpenRow> openRows(String where, String limit, MapSqlParameterSource parameters) {
        return jdbc.query("""
                SELECT row_no, status, target_fp, project_id, sent_at, answered_at, attempts, token_fp, input_offset,
                       source_project
                FROM import_ledger WHERE job_instance_id = :instance AND status IN (:statuses) AND
                """ + where + " ORDER BY row_no" + limit, parameters, (rs, i) -> new OpenRow(rs.getLong("row_no"),
                RowStatus.valueOf(rs.getString("status")), rs.getString("target_fp"), rs.getString("project_id"),
                nullableLong(rs, "sent_at"), nullableLong(rs, "answered_at"), rs.getInt("attempts"),
                rs.getString("token_fp"), nullableLong(rs, "input_offset"), rs.getString("source_project")));
    }

    Set<String> claimed(Collection<String> projectIds) {
        Set<String> claimed = new HashSet<>();
        List<String> ids = List.copyOf(projectIds);
        for (int i = 0; i < ids.size(); i += IN_LIST) {
            claimed.addAll(jdbc.queryForList("""
                    SELECT project_id FROM import_ledger WHERE project_id IN (:ids)
                    """, new MapSqlParameterSource("ids", ids.subList(i, Math.min(ids.size(), i + IN_LIST))),
                    String.class));
        }
        return claimed;
    }

    Map<RowStatus, Long> countsByStatus(long instance) {
        Map<RowStatus, Long> counts = new EnumMap<>(RowStatus.class);
        jdbc.query("SELECT status, COUNT(*) AS n FROM import_ledger WHERE job_instance_id = :instance GROUP BY status",
                new MapSqlParameterSource("instance", instance),
                rs -> {
                    counts.put(RowStatus.valueOf(rs.getString("status")), rs.getLong("n"));
                });
        return counts;
    }

    void forEachOutcome(long instance, Consumer<Outcome> consumer) {
        jdbc.query(OUTCOMES + "WHERE l.job_instance_id = :instance ORDER BY l.row_no",
                new MapSqlParameterSource("instance", instance), rs -> {
                    consumer.accept(outcome(rs));
                });
    }

    List<Outcome> firstNotFine(long instance, int limit) {
        return jdbc.query(OUTCOMES + """
                WHERE l.job_instance_id = :instance AND l.status NOT IN (:fine)
                ORDER BY l.row_no FETCH FIRST %d ROWS ONLY
                """.formatted(limit), new MapSqlParameterSource("instance", instance)
                .addValue("fine", names(RowStatus.FINE)), (rs, i) -> outcome(rs));
    }

    /** Maps a row of {@link #OUTCOMES}. */
    static Outcome outcome(ResultSet rs) throws SQLException {
        return new Outcome(rs.getLong("row_no"), RowStatus.valueOf(rs.getString("status")), rs.getString("region"),
                rs.getString("target_fp"), rs.getString("token_fp"), rs.getString("project_id"),
                rs.getString("error_code"), rs.getString("message"), rs.getString("candidates"),
                rs.getString("extras"), rs.getString("resource"), new SourceFacts(rs.getString("source_region"),
                        rs.getString("source_project"), nullableInt(rs, "export_iterations"),
                        nullableInt(rs, "export_images"), nullableInt(rs, "export_tags"),
                        nullableInt(rs, "export_regions"), nullableLong(rs, "export_estimate_ms"),
                        nullableBoolean(rs, "verified"), nullableLong(rs, "input_row"), nullableInt(rs, "place")));
    }

    private static @Nullable Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static @Nullable Boolean nullableBoolean(ResultSet rs, String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }

    static List<String> names(Collection<RowStatus> statuses) {
        return statuses.stream().map(Enum::name).collect(Collectors.toList());
    }

    private void forTokens(Collection<TokenTarget> pairs, TokenQuery query) {
        Set<TokenTarget> wanted = Set.copyOf(pairs);
        List<String> tokens = pairs.stream().map(TokenTarget::tokenFp).distinct().toList();
        for (int i = 0; i < tokens.size(); i += IN_LIST) {
            query.run(tokens.subList(i, Math.min(tokens.size(), i + IN_LIST)), wanted);
        }
    }

    @FunctionalInterface
    private interface TokenQuery {
        void run(List<String> tokens, Set<TokenTarget> wanted);
    }

    private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
