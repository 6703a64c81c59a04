package io.cvimport.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.cvimport.Application;

/** The broker's secrets on the command line: refused (exit 2) before anything starts, never echoed. */
class BrokerSecretsTest {

    @Test
    void aBrokerPasswordOnTheCommandLineIsABadOptionThatNamesWhereItBelongs() {
        assertThat(Application.run("--spring.artemis.password=hunter2-xyz", "--version")).isEqualTo(2);
        assertThatThrownBy(() -> BrokerSecrets.refuseOnCommandLine("--scale.role=worker",
                "--scale.broker-tls.trust-store-password=hunter2-xyz"))
                .hasMessageContaining("SCALE_BROKER_TLS_TRUST_STORE_PASSWORD").hasMessageContaining("configtree:")
                .hasMessageNotContaining("hunter2-xyz");
    }

    @Test
    void otherOptionsPass() {
        BrokerSecrets.refuseOnCommandLine("--scale.role=worker", "--spring.artemis.user=cvimport",
                "--scale.broker-tls.trust-store=/etc/cvimport/trust.p12");
    }
}
