package io.cvimport.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.cvimport.customvision.Endpoints;
import io.cvimport.ledger.LedgerRow;
import io.cvimport.ledger.RowStatus;

/** Rows that name their source project instead of holding a token: the header, each row's judgement, its identity. */
class SourceRowsTest {

    private static final String PROJECT = "5d3a1f2e-8b7c-4e6d-9a0b-1c2d3e4f5a6b";

    @TempDir
    Path dir;

    private final RowJudge judge = new RowJudge(new Endpoints(null, Map.of()),
            name -> name.equals("SRC_KEY") ? "source-secret" : null,
            Clock.fixed(Instant.parse("2026-11-29T00:00:00Z"), ZoneOffset.UTC));

    private Path write(String text) throws IOException {
        Path file = dir.resolve("input.csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private List<InputRow> rows(Path file) {
        List<InputRow> rows = new ArrayList<>();
        try (RowCursor cursor = InputFile.open(file).rows()) {
            InputRow row;
            while ((row = cursor.next()) != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static InputRow source(String sourceRegion, String sourceKey, String projectId) {
        return new InputRow(4, "", "westus2", "target-key", List.of(), null, null,
                new SourceColumns(sourceRegion, sourceKey, projectId));
    }

    @Test
    void aHeaderWithSourceColumnsAndNoTokenIsUsableAndTheirValuesAreNotExtras() throws IOException {
        Path file = write("Tenant,SourceRegion,sourceKey,PROJECTID,region,key\n"
                + "t1,West Europe,sk," + PROJECT + ",westus2,k\n");
        InputFile input = InputFile.open(file);
        assertThat(input.extraColumns()).containsExactly("Tenant");
        InputRow row = rows(file).get(0);
        assertThat(row.token()).isEmpty();
        assertThat(row.source()).isEqualTo(new SourceColumns("West Europe", "sk", PROJECT));
        assertThat(row.extras()).containsExactly("t1");
    }

    @Test
    void oneFileMayMixBothKinds() throws IOException {
        Path file = write("token,sourceRegion,sourceKey,projectId,region,key\n"
                + "tok,,,,westus2,k\n"
                + "," + "eastus,sk," + PROJECT + ",westus2,k\n");
        List<InputRow> rows = rows(file);
        assertThat(rows.get(0).token()).isEqualTo("tok");
        assertThat(rows.get(0).source().named()).isFalse();
        assertThat(rows.get(1).source().named()).isTrue();
        assertThat(judge.process(rows.get(0)).status()).isEqualTo(RowStatus.PENDING);
        assertThat(judge.process(rows.get(1)).status()).isEqualTo(RowStatus.PENDING);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sourceRegion,sourceKey,region,key|projectId",
            "projectId,sourceKey,region,key|sourceRegion",
            "region,key|token",
            "token,sourceRegion,sourceKey,projectId,key|region" })
    void aHeaderWithoutAUsableSetIsRefused(String header, String missing) throws IOException {
        Path file = write(header + "\n");
        assertThatThrownBy(() -> InputFile.open(file)).isInstanceOf(InputFormatException.class)
                .hasMessageContaining("no column " + missing);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|sk|" + PROJECT + "|empty sourceRegion",
            "atlantis|sk|" + PROJECT + "|unknown sourceRegion",
            "eastus|''|" + PROJECT + "|empty sourceKey",
            "eastus|env:NOT_SET|" + PROJECT + "|environment variable NOT_SET (sourceKey) is not set",
            "eastus|sk|my-project|projectId is not a GUID",
            "eastus|sk|../" + PROJECT + "|projectId is not a GUID" })
    void invalidSourceRowsSayWhy(String sourceRegion, String sourceKey, String projectId, String reason) {
        LedgerRow judged = judge.process(source(sourceRegion, sourceKey, projectId));
        assertThat(judged.status()).isEqualTo(RowStatus.INVALID);
        assertThat(judged.message()).isEqualTo(reason);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "''", "*" })
    void aSourceRowWithoutAProjectNamesItsWholeResourceAndIsExpandedNotSent(String projectId) {
        InputRow whole = source("West Europe", "env:SRC_KEY", projectId);
        LedgerRow judged = judge.process(whole);
        assertThat(whole.source().wholeResource()).isTrue();
        assertThat(judged.status()).isEqualTo(RowStatus.EXPANDED);
        assertThat(judged.sourceRegion()).isEqualTo("westeurope");
        assertThat(judged.sourceProject()).isNull();
        assertThat(judge.source(whole)).as("no one project to export").isEmpty();
        assertThat(judge.sourceResource(whole)).hasValueSatisfying(r -> {
            assertThat(r.key()).isEqualTo("source-secret");
            assertThat(judged.tokenFp()).as("its identity: the source resource").isEqualTo(r.fingerprint());
        });
        InputRow one = whole.forProject(PROJECT);
        assertThat(one.source().wholeResource()).isFalse();
        assertThat(judge.process(one).status()).isEqualTo(RowStatus.PENDING);
        assertThat(RowIdentity.of(one)).as("each project: the identity of a row naming it")
                .isEqualTo(judge.process(source("westeurope", "sk", PROJECT)).tokenFp());
    }

    @Test
    void aWholeResourceRowNeedsItsTargetsKeyToBeExpanded() {
        InputRow whole = new InputRow(4, "", "westus2", "env:NOT_SET", List.of(), null, null,
                new SourceColumns("eastus", "sk", "*"));
        LedgerRow judged = judge.process(whole);
        assertThat(judged.status()).isEqualTo(RowStatus.INVALID);
        assertThat(judged.message()).isEqualTo("environment variable NOT_SET (key) is not set: a whole source"
                + " resource is expanded with its target's key");
        assertThat(judge.process(source("eastus", "sk", "**")).message()).isEqualTo("projectId is not a GUID");
    }

    @Test
    void aRowWithBothATokenAndASourceOrNeitherIsInvalid() {
        InputRow both = new InputRow(1, "tok", "westus2", "k", List.of(), null, null,
                new SourceColumns("eastus", "sk", PROJECT));
        InputRow neither = new InputRow(2, "", "westus2", "k", List.of(), null, null,
                new SourceColumns("", "", ""));
        assertThat(judge.process(both).status()).isEqualTo(RowStatus.INVALID);
        assertThat(judge.process(both).message()).isEqualTo("both a token and a source project (one or the other)");
        assertThat(judge.process(neither).status()).isEqualTo(RowStatus.INVALID);
        assertThat(judge.process(neither).message()).isEqualTo("empty token");
    }

    @Test
    void aSourceRowsIdentityIsItsSourceProjectNotItsKey() {
        LedgerRow literal = judge.process(source("eastus", "sk", PROJECT));
        LedgerRow rotated = judge.process(source("East US", "env:SRC_KEY", PROJECT.toUpperCase()));
        LedgerRow other = judge.process(source("eastus", "sk", PROJECT.replace('5', '6')));
        LedgerRow otherRegion = judge.process(source("westeurope", "sk", PROJECT));
        assertThat(literal.status()).isEqualTo(RowStatus.PENDING);
        assertThat(literal.tokenFp()).isEqualTo(rotated.tokenFp()).isNotEqualTo(other.tokenFp())
                .isNotEqualTo(otherRegion.tokenFp());
        assertThat(literal.tokenFp()).isEqualTo(RowIdentity.of(source("eastus", "other-key", PROJECT)));
        assertThat(judge.source(source("eastus", "sk", PROJECT))).hasValueSatisfying(s -> {
            assertThat(s.projectId()).isEqualTo(PROJECT);
            assertThat(s.resource().key()).isEqualTo("sk");
        });
    }
}
