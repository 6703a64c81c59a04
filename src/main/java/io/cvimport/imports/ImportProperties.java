package io.cvimport.imports;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * {@code import.*}: how hard and how long the job works the service.
 *
 * @param ratePerTarget      calls per second to one target resource, imports and polls alike
 * @param rates              per-target overrides, by region name or target fingerprint
 * @param concurrency        calls in progress at once, over all targets
 * @param window             rows read ahead of the calls (rows queued in memory at most)
 * @param pollInterval       first wait between two listings of a target's projects
 * @param maxPollInterval    the longest wait between listings while nothing changes
 * @param timeout            how long an import may stay Importing before the row is TIMED_OUT
 * @param maxAttempts        sends of one import refused before any work (429, 503, no connection)
 * @param maxRetryAfter      the longest Retry-After honoured; longer ones are capped
 * @param inDoubtGrace       how long after a lost answer before the project listing decides
 * @param clockSkew          tolerance between this machine's clock and the service's
 * @param resendInDoubt      send again rows left IN_DOUBT by an earlier run
 * @param reimport           import again tokens that an earlier run already imported
 * @param giveUpAfter        how long after its import was sent a project still Importing ends FAILED, over all runs
 * @param verify             after a source row's project Succeeded, compare its images, tags and iterations with its export's
 */
@ConfigurationProperties("import")
public record ImportProperties(@DefaultValue("10") double ratePerTarget, @DefaultValue Map<String, Double> rates,
        @DefaultValue("128") int concurrency, @DefaultValue("2000") int window,
        @DefaultValue("1s") Duration pollInterval, @DefaultValue("10s") Duration maxPollInterval,
        @DefaultValue("30m") Duration timeout, @DefaultValue("8") int maxAttempts,
        @DefaultValue("120s") Duration maxRetryAfter, @DefaultValue("5s") Duration inDoubtGrace,
        @DefaultValue("2s") Duration clockSkew, @DefaultValue("false") boolean resendInDoubt,
        @DefaultValue("false") boolean reimport, @DefaultValue("24h") Duration giveUpAfter,
        @DefaultValue("true") boolean verify) {

    public ImportProperties {
        positive("import.rate-per-target", ratePerTarget);
        positive("import.concurrency", concurrency);
        positive("import.window", window);
        positive("import.max-attempts", maxAttempts);
    }

    /** Boot's own exception for a bad value: the command line check names the option and the value given. */
    private static void positive(String name, double value) {
        if (value <= 0) {
            throw new InvalidConfigurationPropertyValueException(name, value, "must be positive");
        }
    }

    public double rateFor(String region, String targetFingerprint) {
        return rates.getOrDefault(targetFingerprint, rates.getOrDefault(region, ratePerTarget));
    }
}
