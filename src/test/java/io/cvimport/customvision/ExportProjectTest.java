package io.cvimport.customvision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.HttpServer;

import io.cvimport.emulator.CustomVisionEmulator;

/**
 * ExportProject and GetTags over real HTTP: the emulator, and a scripted server for
 * answers the emulator never gives (a token echoed back in an error or a broken answer).
 */
class ExportProjectTest {

    private static final String SOURCE_KEY = "11111111111111111111111111111111";
    private static final String TARGET_KEY = "22222222222222222222222222222222";
    private static final String SIGNATURE = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
    private static final String ECHOED_TOKEN = "https://acct.blob.core.windows.net/prjexp-1/project-export-info"
            + "?sv=2020-08-04&sr=b&sig=" + SIGNATURE + "&se=2099-01-01T00%3A00%3A00Z&sp=r";

    private CloseableHttpClient http;
    private CustomVisionClient client;
    private CustomVisionEmulator emulator;
    private HttpServer scripted;
    private final AtomicReference<String[]> answer = new AtomicReference<>();

    @BeforeEach
    void setUp() throws IOException {
        CustomVisionProperties properties = new CustomVisionProperties(null, Map.of(), Duration.ofSeconds(5),
                Duration.ofSeconds(10));
        http = new CustomVisionConfiguration().customVisionHttpClient(properties);
        client = new CustomVisionConfiguration().customVisionClient(http, properties);
        emulator = new CustomVisionEmulator().key(SOURCE_KEY, TARGET_KEY);
        scripted = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        scripted.createContext("/", exchange -> {
            String[] a = answer.get();
            byte[] body = a[1].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Integer.parseInt(a[0]), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        scripted.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        http.close();
        emulator.close();
        scripted.stop(0);
    }

    private TargetResource source() {
        return new TargetResource(Region.WEST_EUROPE, emulator.endpoint(), SOURCE_KEY);
    }

    private TargetResource target() {
        return new TargetResource(Region.WEST_US_2, emulator.endpoint(), TARGET_KEY);
    }

    private TargetResource scriptedSource() {
        return new TargetResource(Region.WEST_EUROPE, URI.create("http://127.0.0.1:" + scripted.getAddress().getPort()),
                SOURCE_KEY);
    }

    @Test
    void exportsWithTheProjectsCountsAndATokenThatExpiresInADay() {
        String id = emulator.sourceProject(SOURCE_KEY, "cats", 7, 120, 3, 45);
        // The emulator announces, as the service estimates, how long the token's import will take.
        emulator.importDelay(Duration.ofMillis(17_200), Duration.ZERO);
        Instant before = Instant.now();

        ProjectExport export = ok(client.exportProject(source(), id));

        assertThat(export.iterationCount()).isEqualTo(3);
        assertThat(export.imageCount()).isEqualTo(120);
        assertThat(export.tagCount()).isEqualTo(7);
        assertThat(export.regionCount()).isEqualTo(45);
        assertThat(export.estimatedImportTime()).isEqualTo(Duration.ofMillis(17_200));
        assertThat(export.token()).startsWith("https://").contains("sig=");
        assertThat(export.expiry()).isNotNull().isBetween(before.plus(Duration.ofHours(24)),
                Instant.now().plus(Duration.ofHours(24)).plusSeconds(1));
        assertThat(emulator.exportsOf(SOURCE_KEY)).isEqualTo(1);
        // Each export mints a new token.
        assertThat(ok(client.exportProject(source(), id)).token()).isNotEqualTo(export.token());
        assertThat(emulator.exportsOf(SOURCE_KEY)).isEqualTo(2);
    }

    @Test
    void anUnknownProjectIsRefusedWithTheServicesCodeAndMessage() {
        emulator.sourceProject(SOURCE_KEY, "cats", 1, 1);

        ApiResult.Failed<ProjectExport> failed = failed(client.exportProject(source(),
                "00000000-0000-0000-0000-000000000000"));

        assertThat(failed.failure()).isEqualTo(Failure.TERMINAL);
        assertThat(failed.error()).isEqualTo(new ApiError(404, "NotFoundProject", "Project not found."));
        assertThat(emulator.exportsOf(SOURCE_KEY)).isZero();
    }

    @Test
    void aProjectOfAnotherResourceIsUnknownToThisOne() {
        String id = emulator.sourceProject(SOURCE_KEY, "cats", 1, 1);

        ApiResult.Failed<ProjectExport> failed = failed(client.exportProject(target(), id));

        assertThat(failed.failure()).isEqualTo(Failure.TERMINAL);
        assertThat(failed.error().code()).isEqualTo("NotFoundProject");
    }

    @Test
    void aWrongKeyIsRefusedWithTheGatewaysCode() {
        String id = emulator.sourceProject(SOURCE_KEY, "cats", 1, 1);
        TargetResource wrong = new TargetResource(Region.WEST_EUROPE, emulator.endpoint(),
                "ffffffffffffffffffffffffffffffff");

        ApiResult.Failed<ProjectExport> failed = failed(client.exportProject(wrong, id));

        assertThat(failed.failure()).isEqualTo(Failure.TERMINAL);
        assertThat(failed.error().httpStatus()).isEqualTo(401);
        assertThat(failed.error().code()).isEqualTo("401");
        assertThat(failed.error().message()).startsWith("Access denied");
        assertThat(failed(client.tags(wrong, id)).failure()).isEqualTo(Failure.TERMINAL);
    }

    @Test
    void aThrottledExportIsRetryableAfterTheServicesWaitAndThenSucceeds() {
        String id = emulator.sourceProject(SOURCE_KEY, "cats", 2, 5);
        emulator.throttleNext(1);

        ApiResult.Failed<ProjectExport> throttled = failed(client.exportProject(source(), id));
        assertThat(throttled.failure()).isEqualTo(Failure.RETRYABLE);
        assertThat(throttled.error().httpStatus()).isEqualTo(429);
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(emulator.exportsOf(SOURCE_KEY)).isZero();

        assertThat(ok(client.exportProject(source(), id)).tagCount()).isEqualTo(2);
        assertThat(emulator.exportsOf(SOURCE_KEY)).isEqualTo(1);
    }

    /** Unlike an import's, an export's 5xx is retryable: it creates nothing, so sending it again is safe. */
    @Test
    void aServiceUnavailableExportIsRetryableThenSucceeds() {
        String id = emulator.sourceProject(SOURCE_KEY, "cats", 2, 5);
        emulator.failNextExports(1);

        ApiResult.Failed<ProjectExport> failed = failed(client.exportProject(source(), id));
        assertThat(failed.failure()).isEqualTo(Failure.RETRYABLE);
        assertThat(failed.error().httpStatus()).isEqualTo(503);
        assertThat(failed.error().code()).isEqualTo("ServiceUnavailable");

        assertThat(ok(client.exportProject(source(), id)).imageCount()).isEqualTo(5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "403|{\"code\":\"Forbidden\",\"message\":\"No access to this project.\"}|Forbidden|No access to this project.",
            "404|{\"code\":\"NotFoundProject\",\"message\":\"Project not found.\"}|NotFoundProject|Project not found.",
            "401|{\"error\":{\"code\":\"401\",\"message\":\"Access denied.\"}}|401|Access denied.",
            "400|{\"code\":\"BadRequestExportWhileTraining\",\"message\":\"Training.\"}|BadRequestExportWhileTraining|Training." })
    void aRefusalKeepsTheServicesCodeAndMessage(int status, String body, String code, String message) {
        answer.set(new String[] { String.valueOf(status), body });
        ApiResult.Failed<ProjectExport> failed = failed(client.exportProject(scriptedSource(), "p1"));
        assertThat(failed.failure()).isEqualTo(Failure.TERMINAL);
        assertThat(failed.error()).isEqualTo(new ApiError(status, code, message));
    }

    @ParameterizedTest
    @ValueSource(ints = { 500, 502, 503, 504 })
    void everyServerErrorOfAnExportIsRetryable(int status) {
        answer.set(new String[] { String.valueOf(status), "<html>gateway</html>" });
        assertThat(failed(client.exportProject(scriptedSource(), "p1")).failure()).isEqualTo(Failure.RETRYABLE);
        assertThat(failed(client.tags(scriptedSource(), "p1")).failure()).isEqualTo(Failure.RETRYABLE);
    }

    @Test
    void aRefusedConnectionIsRetryable() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        TargetResource nowhere = new TargetResource(Region.WEST_EUROPE, URI.create("http://127.0.0.1:" + port),
                SOURCE_KEY);
        ApiResult.Failed<ProjectExport> failed = failed(client.exportProject(nowhere, "p1"));
        assertThat(failed.failure()).isEqualTo(Failure.RETRYABLE);
        assertThat(failed.error().code()).isEqualTo("ConnectionFailed");
    }

    @Test
    void theTokenImportsTheSourceProjectWithItsNameAndTagsUntilItExpires() throws Exception {
        String id = emulator.sourceProject(SOURCE_KEY, "cats", 4, 30);

        ProjectExport first = ok(client.exportProject(source(), id));
        Project imported = ok(client.importProject(target().endpoint(), TARGET_KEY, first.token()));
        assertThat(imported.name()).isEqualTo("cats");
        assertThat(ok(client.tags(target(), imported.id()))).isEqualTo(4);
        assertThat(ok(client.tags(source(), id))).isEqualTo(4);
        // The target already has that name: the service appends " (1)".
        ProjectExport second = ok(client.exportProject(source(), id));
        assertThat(ok(client.importProject(target().endpoint(), TARGET_KEY, second.token())).name())
                .isEqualTo("cats (1)");

        emulator.exportTokenLifetime(Duration.ofSeconds(1));
        ProjectExport expiring = ok(client.exportProject(source(), id));
        Instant expiry = expiring.expiry();
        assertThat(expiry).isNotNull();
        while (!Instant.now().isAfter(expiry)) {
            Thread.sleep(100);
        }
        ApiResult.Failed<Project> refused = failed(client.importProject(target().endpoint(), TARGET_KEY,
                expiring.token()));
        assertThat(refused.failure()).isEqualTo(Failure.TERMINAL);
        assertThat(refused.error().code()).isEqualTo("BadRequestInvalidImportToken");
        assertThat(refused.error().message()).contains("expired");
        assertThat(emulator.importsOf(TARGET_KEY, expiring.token())).isZero();
        assertThat(emulator.projects(TARGET_KEY)).hasSize(2);
    }

    @Test
    void aTokenTheSourceNeverMintedIsRefused() {
        String id = emulator.sourceProject(SOURCE_KEY, "cats", 4, 30);
        String token = ok(client.exportProject(source(), id)).token();
        String forged = token.replaceFirst("sig=[0-9a-f]", "sig=0");
        if (forged.equals(token)) {
            forged = token.replaceFirst("sig=0", "sig=1");
        }
        ApiResult.Failed<Project> refused = failed(client.importProject(target().endpoint(), TARGET_KEY, forged));
        assertThat(refused.error().code()).isEqualTo("BadRequestInvalidImportToken");
    }

    @Test
    void tagsOfAnUnknownProjectAreRefused() {
        ApiResult.Failed<Integer> failed = failed(client.tags(target(), "00000000-0000-0000-0000-000000000000"));
        assertThat(failed.failure()).isEqualTo(Failure.TERMINAL);
        assertThat(failed.error().code()).isEqualTo("NotFoundProject");
    }

    @Test
    void theTokenIsNeverInToStringNorInAResult() {
        String id = emulator.sourceProject(SOURCE_KEY, "cats", 4, 30);
        ApiResult<ProjectExport> result = client.exportProject(source(), id);
        ProjectExport export = ok(result);
        String signature = URLDecoder.decode(export.token().replaceFirst(".*sig=([^&]+).*", "$1"),
                StandardCharsets.UTF_8);

        for (String text : List.of(export.toString(), result.toString())) {
            assertThat(text).doesNotContain(export.token()).doesNotContain(signature).doesNotContain(SOURCE_KEY)
                    .contains(Fingerprint.of(export.token())).contains("tagCount=4");
        }
    }

    /** A token the service echoes in an error or a broken answer is not ours yet, and still a secret. */
    @Test
    void aTokenEchoedInAnErrorOrABrokenAnswerIsScrubbed() {
        for (String[] scripted : List.of(
                new String[] { "400", "{\"code\":\"BadRequest\",\"message\":\"cannot export to " + ECHOED_TOKEN
                        + "\"}" },
                new String[] { "500", "upstream said " + ECHOED_TOKEN },
                new String[] { "200", "{\"tagCount\":1,\"token\":" + ECHOED_TOKEN + "}" },
                new String[] { "200", "{\"tagCount\":1,\"token\":\"" + ECHOED_TOKEN },
                new String[] { "200", "[\"" + ECHOED_TOKEN + "\"]" })) {
            answer.set(scripted);
            ApiResult.Failed<ProjectExport> failed = failed(client.exportProject(scriptedSource(), "p1"));
            assertThat(failed.toString()).as(scripted[1]).doesNotContain(SIGNATURE).doesNotContain(SOURCE_KEY);
        }
    }

    @Test
    void anAnswerWithoutATokenIsRetryableNotAnExport() {
        answer.set(new String[] { "200", "{\"iterationCount\":1,\"imageCount\":1,\"tagCount\":1,\"regionCount\":0,"
                + "\"estimatedImportTimeInMS\":10}" });
        ApiResult.Failed<ProjectExport> failed = failed(client.exportProject(scriptedSource(), "p1"));
        assertThat(failed.failure()).isEqualTo(Failure.RETRYABLE);
        assertThat(failed.error().code()).isEqualTo("MalformedAnswer");
    }

    private static <T> T ok(ApiResult<T> result) {
        assertThat(result).isInstanceOf(ApiResult.Ok.class);
        return ((ApiResult.Ok<T>) result).value();
    }

    private static <T> ApiResult.Failed<T> failed(ApiResult<T> result) {
        assertThat(result).isInstanceOf(ApiResult.Failed.class);
        return (ApiResult.Failed<T>) result;
    }
}
