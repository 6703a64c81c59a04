package io.cvimport.scale;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

/**
 * Remote partitioning needs one job repository that the manager and every worker share: an
 * H2 file belongs to one machine (and one process at a time), so a manager or a worker on
 * H2 is refused at start, exit 2, before anything is run or received.
 */
@Component
@ConditionalOnExpression("'${scale.role:single}' != 'single'")
class RemoteRepositoryCheck {

    RemoteRepositoryCheck(DataSource dataSource, ScaleProperties properties) throws SQLException {
        String url;
        try (Connection connection = dataSource.getConnection()) {
            url = connection.getMetaData().getURL();
        }
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--scale.role=" + properties.role().name().toLowerCase(Locale.ROOT)
                    + " needs the job repository every process shares: PostgreSQL"
                    + " (--spring.datasource.url=jdbc:postgresql://HOST/DB); an H2 file is one machine's");
        }
    }
}
