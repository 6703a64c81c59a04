package io.cvimport.imports.lanes;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TokensInheritanceStrategy;

/**
 * A lane's rate budget: calls are paced, not burst (one token, refilled every 1/rate
 * seconds, so that no one-second window of the service ever sees more than the rate), and
 * the rate adapts to the service's throttling (additive increase, multiplicative decrease),
 * so that a lane settles just under what the service allows. Its bucket is safe to take
 * from on any thread; its rate changes on the lanes' owner's thread.
 */
final class RateBudget {

    /** A little under the budget: calls leave a few milliseconds apart from when they were paced. */
    private static final double PACING_MARGIN = 1.03;
    /** How far, in seconds of its rate, a lane's source sends may run ahead of its budget. */
    private static final double EXPORTS_AHEAD_SECONDS = 0.5;

    private final double configuredRate;
    private double rate;
    private final Bucket bucket;

    RateBudget(double rate, Ticker ticker) {
        this.configuredRate = rate;
        this.rate = rate;
        this.bucket = Bucket.builder().addLimit(limit(rate)).withCustomTimePrecision(ticker.meter()).build();
    }

    private static Bandwidth limit(double rate) {
        long periodNanos = Math.max(1, (long) (1_000_000_000L / rate * PACING_MARGIN));
        return Bandwidth.builder().capacity(1).refillGreedy(1, Duration.ofNanos(periodNanos)).build();
    }

    /** Takes one call now, if the budget allows one. */
    boolean tryTake() {
        return bucket.tryConsume(1);
    }

    /** Whether a call could be taken now. */
    boolean hasOne() {
        return bucket.getAvailableTokens() >= 1;
    }

    /** How long until the budget allows one more call. */
    long nanosToNext() {
        return bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
    }

    /** Takes one call, waiting (on the ticker) until the budget allows one. */
    void await(Ticker ticker) throws InterruptedException {
        bucket.asBlocking().consume(1, ticker::sleep);
    }

    /** The service throttled us: slow down by a tenth, to a tenth of the configured rate at most. */
    void slowDown() {
        changeRate(Math.max(configuredRate / 10, rate * 0.9));
    }

    /** A call went through: recover a two-hundredth of the configured rate, up to it. */
    void recover() {
        if (rate < configuredRate) {
            changeRate(Math.min(configuredRate, rate + configuredRate / 200));
        }
    }

    /** Source sends a lane may have handed out at once (see {@link SourceSends}). */
    int exportsAhead() {
        return Math.max(2, (int) Math.ceil(rate * EXPORTS_AHEAD_SECONDS));
    }

    private void changeRate(double newRate) {
        rate = newRate;
        bucket.replaceConfiguration(BucketConfiguration.builder().addLimit(limit(newRate)).build(),
                TokensInheritanceStrategy.AS_IS);
    }
}
