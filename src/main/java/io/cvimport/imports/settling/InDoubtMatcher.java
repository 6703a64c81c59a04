package io.cvimport.imports.settling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cvimport.customvision.Project;

/**
 * Decides which unclaimed project, if any, a row whose import answer was lost made. Each
 * row's window runs from just before it was sent to the end of its request's lifetime,
 * widened by the clock tolerance, and also holds the projects first listed after it was
 * sent. With one import of unknown outcome per resource there is one window per listing;
 * rows sent before that rule (or on two targets of a resource not yet linked) may overlap:
 * a project is adopted only when it lies in exactly one row's window and that window holds
 * no other project; adoption repeats until nothing more is forced. What remains is ambiguous.
 */
final class InDoubtMatcher {

    /**
     * A lost import's candidates: projects created from {@code from} to {@code to} on the
     * service's clock, and any project in {@code listedSince} (first listed after it was sent).
     */
    record Window(long rowNo, Instant from, Instant to, Set<String> listedSince) {

        Window(long rowNo, Instant from, Instant to) {
            this(rowNo, from, to, Set.of());
        }

        boolean holds(Project project) {
            Instant created = project.created();
            return listedSince.contains(project.id())
                    || created != null && !created.isBefore(from) && !created.isAfter(to);
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
                if (window.holds(project)) {
                    inside.add(project);
                    rowsOf.computeIfAbsent(project.id(), id -> new ArrayList<>()).add(window.rowNo());
                }
            }
            candidates.put(window.rowNo(), inside);
        }
        Map<Long, Project> adopted = adopt(candidates, rowsOf);
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

    /**
     * Adopts, round after round, each row's only candidate that is no other row's candidate;
     * an adopted project is no longer a candidate of any other row, which may leave another
     * row with one. {@code candidates} and {@code rowsOf} are narrowed as it goes.
     */
    private static Map<Long, Project> adopt(Map<Long, List<Project>> candidates, Map<String, List<Long>> rowsOf) {
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
        return adopted;
    }
}
