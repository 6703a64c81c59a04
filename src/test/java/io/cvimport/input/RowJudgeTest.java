package io.cvimport.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cvimport.customvision.Endpoints;
import io.cvimport.ledger.LedgerRow;
import io.cvimport.ledger.RowStatus;

class RowJudgeTest {

    private final RowJudge judge = new RowJudge(new Endpoints(null, Map.of()),
            name -> name.equals("CV_KEY") ? "secret-from-env" : null,
            Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC));

    private static InputRow row(String token, String region, String key) {
        return new InputRow(7, token, region, key, List.of("tenant-a"), null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|westus2|k|empty token",
            "t|atlantis|k|unknown region",
            "t|evil.example/x?|k|unknown region",
            "t|''|k|empty region",
            "t|westus2|''|empty key" })
    void invalidRowsSayWhy(String token, String region, String key, String reason) {
        LedgerRow judged = judge.process(row(token, region, key));
        assertThat(judged.status()).isEqualTo(RowStatus.INVALID);
        assertThat(judged.message()).isEqualTo(reason);
        assertThat(judged.rowNo()).isEqualTo(7);
        assertThat(judged.extras()).isEqualTo("tenant-a");
    }

    @Test
    void aRowWhoseKeyVariableIsUnsetWaitsForARunThatHasIt() {
        LedgerRow judged = judge.process(row("t", "westus2", "env:MISSING"));
        assertThat(judged.status()).isEqualTo(RowStatus.PENDING);
        assertThat(judged.targetFp()).isNull();
        assertThat(judged.tokenFp()).isNotNull();
        assertThat(judged.message()).isEqualTo("environment variable MISSING is not set");
    }

    @Test
    void structuralProblemFromTheReader() {
        LedgerRow judged = judge.process(new InputRow(3, "t", "westus2", "k", List.of(), "surplus field: 4 fields"));
        assertThat(judged.status()).isEqualTo(RowStatus.INVALID);
        assertThat(judged.message()).startsWith("surplus field");
    }

    @Test
    void expiredTokenIsRejectedWithoutACall() {
        LedgerRow judged = judge.process(row("https://a.blob/x.zip?sv=1&se=2026-11-28T23%3A59%3A59Z&sig=abc",
                "westus2", "k"));
        assertThat(judged.status()).isEqualTo(RowStatus.REJECTED);
        assertThat(judged.errorCode()).isEqualTo("TokenExpired");
    }

    @Test
    void validRowIsPendingWithFingerprintsOnly() {
        LedgerRow judged = judge.process(row("https://a.blob/x.zip?se=2026-11-30T00%3A00%3A00Z&sig=abc",
                "West US 2", "env:CV_KEY"));
        assertThat(judged.status()).isEqualTo(RowStatus.PENDING);
        assertThat(judged.region()).isEqualTo("westus2");
        assertThat(judged.targetFp()).hasSize(16).doesNotContain("secret");
        assertThat(judged.tokenFp()).hasSize(16);
        assertThat(judge.target(row("t", "westus2", "env:CV_KEY")).orElseThrow().key()).isEqualTo("secret-from-env");
    }

    @Test
    void sameKeyAndEndpointIsOneTarget() {
        String a = judge.process(row("t1", "westus2", "k1")).targetFp();
        assertThat(judge.process(row("t2", "West US 2", "k1")).targetFp()).isEqualTo(a);
        assertThat(judge.process(row("t1", "westus2", "k2")).targetFp()).isNotEqualTo(a);
        assertThat(judge.process(row("t1", "eastus", "k1")).targetFp()).isNotEqualTo(a);
    }
}
