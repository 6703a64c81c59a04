package io.cvimport.imports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cvimport.customvision.Project;

/**
 * Decides which unclaimed project, if any, a row whose import answer was lost made.
 * Each row's window runs from just before it was sent to just after its answer was
 * lost, widened by the clock tolerance. A project is adopted only when it lies in
 * exactly one row's window and that window holds no other project; adoption repeats
 * until nothing more is forced. What remains is ambiguous.
 */
final class InDoubtMatcher {

    record Window(long rowNo, Instant from, Instant to) {
        boolean holds(Instant created) {
            return !created.isBefore(from) && !created.isAfter(to);
        }
    }

    record Result(Map<Long, Project> adopted, Map<Long, List<Project>> ambiguous, List<Long> noCandidate) {
    }

    private InDoubtMatcher() {
    }

    /** @param unclaimed projects of the target that no row of any run owns */
    static Result match(List<Window> windows, List<Project> unclaimed) {
        Map<Long, List<Project>> candidates = new LinkedHashMap<>();
        Map<String, List<Long>> rowsOf = new HashMap<>();
        for (Window window : windows) {
            List<Project> inside = new ArrayList<>();
            for (Project project : unclaimed) {
                if (project.created() != null && window.holds(project.created())) {
                    inside.add(project);
                    rowsOf.computeIfAbsent(project.id(), id -> new ArrayList<>()).add(window.rowNo());
                }
            }
            candidates.put(window.rowNo(), inside);
        }
        Map<Long, Project> adopted = new LinkedHashMap<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (var entry : candidates.entrySet()) {
                List<Project> inside = entry.getValue();
                if (adopted.containsKey(entry.getKey()) || inside.size() != 1) {
                    continue;
                }
                Project only = inside.get(0);
                List<Long> rows = rowsOf.get(only.id());
                if (rows != null && rows.size() == 1) {
                    adopted.put(entry.getKey(), only);
                    progress = true;
                }
            }
            // An adopted project is no longer a candidate of any other row.
            for (var entry : adopted.entrySet()) {
                String id = entry.getValue().id();
                for (var other : candidates.entrySet()) {
                    if (!other.getKey().equals(entry.getKey()) && other.getValue().removeIf(p -> p.id().equals(id))) {
                        progress = true;
                    }
                }
                rowsOf.put(id, new ArrayList<>(List.of(entry.getKey())));
            }
        }
        Map<Long, List<Project>> ambiguous = new LinkedHashMap<>();
        List<Long> none = new ArrayList<>();
        candidates.forEach((row, inside) -> {
            if (!adopted.containsKey(row)) {
                if (inside.isEmpty()) {
                    none.add(row);
                }
                else {
                    ambiguous.put(row, inside);
                }
            }
        });
        return new Result(adopted, ambiguous, none);
    }
}
