package io.cvimport.job;

import java.util.Locale;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import com.zaxxer.hikari.HikariDataSource;

/**
 * An H2 file repository is compacted when the job closes it. H2 writes each commit as a new
 * chunk and keeps the pages it replaced for 45 s, so during a run the file holds about the
 * last 45 s of writes (hundreds of MB at 10,000 rows) though its live rows take a few MB. At
 * close H2 moves the live pages to the front and cuts the file, but only within its
 * {@code MAX_COMPACT_TIME}: its default of 200 ms does nothing for such a file, which then
 * stays that large until the next run. The job gives it {@value #MILLIS} ms, unless the
 * operator's URL sets the time itself; the close takes what the compaction needs (well under
 * a second for a file of 100 MB here), and an empty run none.
 */
@Component
class H2Compaction implements BeanPostProcessor {

    static final String SETTING = "MAX_COMPACT_TIME";
    static final int MILLIS = 5000;

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource dataSource && dataSource.getJdbcUrl() != null) {
            dataSource.setJdbcUrl(withCompaction(dataSource.getJdbcUrl()));
        }
        return bean;
    }

    /** The URL of an H2 database this process may open from its file, with the time to compact it at close. */
    static String withCompaction(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        boolean embeddedFile = lower.startsWith("jdbc:h2:") && !lower.startsWith("jdbc:h2:mem:")
                && !lower.startsWith("jdbc:h2:tcp:") && !lower.startsWith("jdbc:h2:ssl:");
        if (!embeddedFile || lower.contains(SETTING.toLowerCase(Locale.ROOT) + "=")) {
            return url;
        }
        return url + ";" + SETTING + "=" + MILLIS;
    }
}
