package io.cvimport.plan;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cvimport.customvision.CustomVisionClient;
import io.cvimport.input.RowJudge;
import io.cvimport.ledger.ClosedRows;
import io.cvimport.ledger.ImportLedger;
import io.cvimport.ledger.ResourceLinks;
import io.cvimport.reopen.ReopenProperties;
import io.cvimport.imports.ImportProperties;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PlanProperties.class)
class PlanConfiguration {

    @Bean
    PlanCommand planCommand(RowJudge rowJudge, ImportLedger ledger, ResourceLinks resources, ClosedRows closed,
            ReopenProperties reopen, CustomVisionClient client, ImportProperties imports, PlanProperties properties) {
        return new PlanCommand(rowJudge, ledger, resources, closed, reopen, client, imports, properties,
                Clock.systemUTC());
    }
}
