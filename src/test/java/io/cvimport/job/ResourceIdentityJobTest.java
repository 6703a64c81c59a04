package io.cvimport.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.system.CapturedOutput;

/**
 * One resource reached two ways, through its regional endpoint and through its custom
 * subdomain (the emulator's second port): a token is imported into the resource once (two
 * processes at once are ResourceIdentityIT's).
 */
class ResourceIdentityJobTest extends CommandFixture {

    static final String KEY = key(ResourceIdentityJobTest.class, "key");

    private Path rows(String name, String region, List<String> tokens) throws Exception {
        return input(name, "token,region,key", tokens.stream().map(t -> "\"" + token(t) + "\"," + region + "," + KEY)
                .toList());
    }

    @Test
    void theRegionalEndpointAndTheCustomSubdomainOfOneResourceImportOnce(CapturedOutput console) throws Exception {
        emulator.key(KEY).importDelay(Duration.ofMillis(300), Duration.ofMillis(300));
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tokens.add("endpoints-" + i);
        }
        Path regional = rows("regional", "westus2", tokens);
        assertThat(run(console, regional)).as(output).isEqualTo(0);

        Path subdomain = rows("subdomain", SUBDOMAIN_REGION, tokens);
        int code = run(console, subdomain);

        for (String token : tokens) {
            assertThat(emulator.importsOf(KEY, token(token))).as("imports of " + token + "\n" + output).isEqualTo(1);
        }
        assertThat(code).as(output).isEqualTo(0);
        List<String> before = Files.readAllLines(report(regional));
        List<String> after = Files.readAllLines(report(subdomain));
        assertThat(after.get(0)).contains(",targetFingerprint,tokenFingerprint,resource,");
        for (int row = 1; row <= tokens.size(); row++) {
            String[] first = before.get(row).split(",");
            String[] second = after.get(row).split(",");
            assertThat(second[1]).isEqualTo("ALREADY_IMPORTED");
            assertThat(second[3]).as("the project the first run made").isEqualTo(first[3]);
            assertThat(second[7]).as("another target fingerprint").isNotEqualTo(first[7]);
            assertThat(second[9]).as("the same resource").isEqualTo(first[9]);
        }
    }
}
