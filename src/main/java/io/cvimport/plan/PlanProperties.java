package io.cvimport.plan;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code import.*} settings of the plan, and the project limit with which a run refuses
 * up front the projects of a whole source resource that would not fit (io.cvimport.sources);
 * the service enforces its own limit on every other row.
 *
 * @param projectLimit  projects one target resource may hold (S0: 100, F0: 2)
 * @param projectLimits per-resource overrides, by region name or target fingerprint
 * @param importTime    how long the service takes to import one project, for the estimate
 */
@ConfigurationProperties("import")
public record PlanProperties(@DefaultValue("100") int projectLimit, @DefaultValue Map<String, Integer> projectLimits,
        @DefaultValue("1m") Duration importTime) {

    public PlanProperties {
        if (projectLimit < 0 || importTime.isNegative()) {
            throw new IllegalArgumentException("import.project-limit and import.import-time must not be negative");
        }
    }

    public int projectLimitFor(String region, String targetFingerprint) {
        return projectLimits.getOrDefault(targetFingerprint, projectLimits.getOrDefault(region, projectLimit));
    }
}
