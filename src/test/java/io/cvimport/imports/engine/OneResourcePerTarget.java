package io.cvimport.imports.engine;

import java.util.Collection;

import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cvimport.ledger.ResourceLinks;

/** Every target is a resource of its own, known from the start: no discovery listing. */
public final class OneResourcePerTarget extends ResourceLinks {
    public OneResourcePerTarget() {
        super(new JdbcTemplate(), new ResourcelessTransactionManager());
    }

    @Override
    public boolean isLinked(String targetFp) {
        return true;
    }

    @Override
    public String resourceOf(String targetFp) {
        return targetFp;
    }

    @Override
    public String learn(String targetFp, Collection<String> projectIds) {
        return targetFp;
    }
}
