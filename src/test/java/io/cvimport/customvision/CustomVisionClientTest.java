package io.cvimport.customvision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cvimport.emulator.CustomVisionEmulator;
import io.cvimport.emulator.SelfSignedCertificate;

/** The client over real HTTP: the emulator, and a scripted server for answers the emulator never gives. */
class CustomVisionClientTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final String TOKEN = "https://x.blob.core.windows.net/e/p.zip?sv=1&se=2099-01-01T00%3A00%3A00Z&sig=Ab%2Bc%2Fd%3D&x=a b";

    @TempDir
    static Path tlsDir;
    private static SelfSignedCertificate sharedCertificate;

    private CloseableHttpClient http;
    private CustomVisionClient client;
    private HttpServer scripted;
    private final AtomicReference<Answer> answer = new AtomicReference<>();
    private final List<String> received = new CopyOnWriteArrayList<>();

    record Answer(int status, String body, String... headers) {
    }

    @BeforeEach
    void setUp() throws IOException {
        CustomVisionProperties properties = new CustomVisionProperties(null, java.util.Map.of(), Duration.ofSeconds(2),
                Duration.ofSeconds(2));
        http = new CustomVisionConfiguration().customVisionHttpClient(properties);
        client = new CustomVisionConfiguration().customVisionClient(http, properties);
        scripted = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        scripted.createContext("/", this::script);
        scripted.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        http.close();
        scripted.stop(0);
    }

    private void script(HttpExchange exchange) throws IOException {
        received.add(exchange.getRequestURI().getRawQuery() + " key=" + exchange.getRequestHeaders().getFirst("Training-key"));
        Answer a = answer.get();
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < a.headers().length; i += 2) {
            exchange.getResponseHeaders().set(a.headers()[i], a.headers()[i + 1]);
        }
        exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private URI scriptedEndpoint() {
        return URI.create("http://127.0.0.1:" + scripted.getAddress().getPort());
    }

    @Test
    void importsAndPollsAgainstTheEmulator() throws Exception {
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(KEY)
                .importDelay(Duration.ofMillis(300), Duration.ZERO)) {
            ApiResult<Project> imported = client.importProject(emulator.endpoint(), KEY, TOKEN);
            assertThat(imported).isInstanceOf(ApiResult.Ok.class);
            Project project = ((ApiResult.Ok<Project>) imported).value();
            assertThat(project.status()).isEqualTo(ProjectStatus.IMPORTING);
            assertThat(project.created()).isNotNull();
            // The token arrives exactly as written: encoded once, decoded once.
            assertThat(emulator.importsOf(KEY, TOKEN)).isEqualTo(1);

            Thread.sleep(400);
            ApiResult<List<Project>> all = client.getProjects(emulator.endpoint(), KEY);
            assertThat(((ApiResult.Ok<List<Project>>) all).value()).extracting(Project::id, Project::status)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(project.id(), ProjectStatus.SUCCEEDED));
            ApiResult<Project> one = client.getProject(emulator.endpoint(), KEY, project.id());
            assertThat(((ApiResult.Ok<Project>) one).value().status()).isEqualTo(ProjectStatus.SUCCEEDED);
        }
    }

    @Test
    void unknownKeyIsTerminalWithTheGatewaysCode() throws Exception {
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(KEY)) {
            ApiResult<Project> result = client.importProject(emulator.endpoint(), "ffffffffffffffffffffffffffffffff",
                    TOKEN);
            ApiResult.Failed<Project> failed = (ApiResult.Failed<Project>) result;
            assertThat(failed.failure()).isEqualTo(Failure.TERMINAL);
            assertThat(failed.error().code()).isEqualTo("401");
            assertThat(failed.error().message()).startsWith("Access denied");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400|{\"code\":\"BadRequestInvalidImportToken\",\"message\":\"Invalid token.\"}|TERMINAL|BadRequestInvalidImportToken",
            "403|{\"code\":\"ForbiddenDRModeEnabled\",\"message\":\"DR mode.\"}|TERMINAL|ForbiddenDRModeEnabled",
            "404|{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}|TERMINAL|404",
            "429|{\"error\":{\"code\":\"429\",\"message\":\"Rate limit is exceeded. Try again in 3 seconds.\"}}|RETRYABLE|429",
            "503|<html><body>Service Unavailable</body></html>|UNCERTAIN|Http503",
            "500|{\"code\":\"ErrorProjectImportRequestFailed\",\"message\":\"failed\"}|UNCERTAIN|ErrorProjectImportRequestFailed",
            "502||UNCERTAIN|Http502",
            "302||TERMINAL|Http302",
            "200|<html>oops</html>|UNCERTAIN|MalformedAnswer",
            "200|{\"id\":\"abc\",\"status\":\"Succ|UNCERTAIN|MalformedAnswer",
            "200|{\"name\":\"no id\",\"status\":\"Importing\"}|UNCERTAIN|MalformedAnswer",
            "200||UNCERTAIN|MalformedAnswer" })
    void classifiesImportAnswers(int status, String body, Failure failure, String code) {
        answer.set(new Answer(status, body == null ? "" : body, "Location", "https://elsewhere.example/steal"));
        ApiResult<Project> result = client.importProject(scriptedEndpoint(), KEY, TOKEN);
        ApiResult.Failed<Project> failed = (ApiResult.Failed<Project>) result;
        assertThat(failed.failure()).isEqualTo(failure);
        assertThat(failed.error().code()).isEqualTo(code);
        assertThat(failed.error().httpStatus()).isEqualTo(status);
    }

    @Test
    void redirectsAreNeverFollowedSoTheKeyStaysHome() throws IOException {
        HttpServer elsewhere = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        List<String> stolen = new CopyOnWriteArrayList<>();
        elsewhere.createContext("/", exchange -> {
            stolen.add(String.valueOf(exchange.getRequestHeaders().getFirst("Training-key")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        elsewhere.start();
        try {
            String target = "http://127.0.0.1:" + elsewhere.getAddress().getPort() + "/customvision/v3.2/training/projects";
            for (int status : new int[] { 301, 302, 303, 307, 308 }) {
                answer.set(new Answer(status, "", "Location", target));
                ApiResult.Failed<Project> failed = (ApiResult.Failed<Project>) client.importProject(scriptedEndpoint(),
                        KEY, TOKEN);
                assertThat(failed.failure()).isEqualTo(Failure.TERMINAL);
                assertThat(failed.error().code()).isEqualTo("Http" + status);
                assertThat(client.getProjects(scriptedEndpoint(), KEY)).isInstanceOf(ApiResult.Failed.class);
            }
            assertThat(stolen).isEmpty();
        }
        finally {
            elsewhere.stop(0);
        }
    }

    @ParameterizedTest
    @CsvSource({ "500", "502", "503", "504" })
    void pollsAreNeverUncertain(int status) {
        answer.set(new Answer(status, "{\"code\":\"ErrorUnknown\",\"message\":\"x\"}"));
        ApiResult.Failed<List<Project>> failed = (ApiResult.Failed<List<Project>>) client.getProjects(scriptedEndpoint(), KEY);
        assertThat(failed.failure()).isEqualTo(Failure.RETRYABLE);
    }

    @Test
    void answersCarryTheServersDateWithOurSendAndReceiptTimes() {
        // The JDK's server writes its own Date header (to the second): same clock as ours.
        answer.set(new Answer(200, "[]"));
        long before = System.currentTimeMillis();
        ApiResult<List<Project>> result = client.getProjects(scriptedEndpoint(), KEY);
        long after = System.currentTimeMillis();
        ServerDate date = result.serverDate();
        assertThat(date).isNotNull();
        assertThat(date.date().toEpochMilli()).isBetween(before / 1000 * 1000, after);
        assertThat(date.sentAtMillis()).isBetween(before, after);
        assertThat(date.receivedAtMillis()).isBetween(date.sentAtMillis(), after);
        assertThat(date.skewAtLeastMillis()).isLessThanOrEqualTo(0);
        assertThat(date.skewAtMostMillis()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void anUntrustedCertificateIsTheEnvironmentsFailureWithItsRemedy() throws Exception {
        SelfSignedCertificate certificate = certificate();
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(KEY)) {
            emulator.https(certificate.serverContext());
            ApiResult.Failed<Project> failed = (ApiResult.Failed<Project>) client.importProject(emulator.endpoint(),
                    KEY, TOKEN);
            assertThat(failed.failure()).isEqualTo(Failure.ENVIRONMENT);
            assertThat(failed.error().code()).isEqualTo("TlsUntrusted");
            assertThat(failed.error().message()).startsWith("the server's certificate is not trusted (PKIX)")
                    .contains("-Djavax.net.ssl.trustStore=");
            assertThat(emulator.imports()).isZero();
            assertThat(client.getProjects(emulator.endpoint(), KEY)).isInstanceOfSatisfying(ApiResult.Failed.class,
                    f -> assertThat(f.failure()).isEqualTo(Failure.ENVIRONMENT));
        }
    }

    @Test
    void anUnknownHostIsTheEnvironmentsFailure() {
        ApiResult.Failed<Project> failed = (ApiResult.Failed<Project>) client
                .importProject(URI.create("https://no-such-host.invalid"), KEY, TOKEN);
        assertThat(failed.failure()).isEqualTo(Failure.ENVIRONMENT);
        assertThat(failed.error().code()).isEqualTo("UnknownHost");
    }

    /**
     * The same exception type (a TLS failure) proves nothing about the request by itself:
     * after the handshake, a broken answer may follow an import that was performed.
     */
    @Test
    void aTlsFailureWhileTheAnswerIsReadIsUncertainForAnImportAndRetryableForAListing() throws Exception {
        SelfSignedCertificate certificate = certificate();
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(KEY);
                CloseableHttpClient trusting = trustingClient(certificate)) {
            emulator.https(certificate.serverContext()).resetAfterWork(1);
            CustomVisionClient overTls = new CustomVisionClient(trusting, tools.jackson.databind.json.JsonMapper
                    .builder().build(), Duration.ofSeconds(4));
            ApiResult.Failed<Project> failed = (ApiResult.Failed<Project>) overTls.importProject(emulator.endpoint(),
                    KEY, TOKEN);
            assertThat(emulator.importsOf(KEY, TOKEN)).isEqualTo(1);
            assertThat(failed.failure()).isEqualTo(Failure.UNCERTAIN);
            // The TLS layer breaks off (an SSLException) or the socket is reset under it first.
            assertThat(failed.error().message()).containsAnyOf("SSLException", "Connection reset");
            assertThat(overTls.getProjects(emulator.endpoint(), KEY)).isInstanceOf(ApiResult.Ok.class);
        }
    }

    /**
     * The job's own client makes its TLS at the first HTTPS connection, and it is HttpClient's
     * default: the JVM's trust store, which does not know a self-signed certificate.
     */
    @Test
    void theJobsClientChecksTheCertificateAgainstTheJvmsTrustStore() throws Exception {
        SelfSignedCertificate certificate = certificate();
        try (CustomVisionEmulator emulator = new CustomVisionEmulator().key(KEY)) {
            emulator.https(certificate.serverContext());
            for (int attempt = 0; attempt < 2; attempt++) {
                ApiResult<?> listing = client.getProjects(emulator.endpoint(), KEY);
                assertThat(listing).isInstanceOf(ApiResult.Failed.class);
                assertThat(((ApiResult.Failed<?>) listing).error().message()).contains("not trusted (PKIX)");
            }
            assertThat(emulator.calls()).as("no request got through the handshake").isZero();
        }
    }

    /** keytool takes seconds: one certificate for the class. */
    private static synchronized SelfSignedCertificate certificate() throws Exception {
        if (sharedCertificate == null) {
            sharedCertificate = SelfSignedCertificate.createIn(tlsDir);
        }
        return sharedCertificate;
    }

    private static CloseableHttpClient trustingClient(SelfSignedCertificate certificate) throws Exception {
        var connections = org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(new org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy(
                        certificate.clientContext()))
                .build();
        return RequestProgress.install(org.apache.hc.client5.http.impl.classic.HttpClients.custom())
                .setConnectionManager(connections).disableAutomaticRetries()
                .setDefaultRequestConfig(org.apache.hc.client5.http.config.RequestConfig.custom()
                        .setResponseTimeout(org.apache.hc.core5.util.Timeout.ofSeconds(5)).build())
                .build();
    }

    @Test
    void retryAfterIsRead() {
        answer.set(new Answer(429, "{\"error\":{\"code\":\"429\",\"message\":\"slow down\"}}", "Retry-After", "4"));
        ApiResult.Failed<Project> failed = (ApiResult.Failed<Project>) client.importProject(scriptedEndpoint(), KEY, TOKEN);
        assertThat(failed.retryAfter()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void unknownStatusIsKeptAsOther() {
        answer.set(new Answer(200, "{\"id\":\"p1\",\"status\":\"Migrating\",\"extra\":{\"a\":1}}"));
        Project project = ((ApiResult.Ok<Project>) client.getProject(scriptedEndpoint(), KEY, "p1")).value();
        assertThat(project.status()).isEqualTo(ProjectStatus.OTHER);
        assertThat(project.statusText()).isEqualTo("Migrating");
    }

    @Test
    void echoedSecretsAreScrubbedFromMessages() {
        answer.set(new Answer(400, "{\"code\":\"BadRequest\",\"message\":\"bad token " + TOKEN + " for key " + KEY
                + " sig Ab%2Bc%2Fd%3D\"}"));
        ApiResult.Failed<Project> failed = (ApiResult.Failed<Project>) client.importProject(scriptedEndpoint(), KEY, TOKEN);
        assertThat(failed.error().message()).doesNotContain(KEY).doesNotContain(TOKEN).doesNotContain("Ab%2Bc%2Fd%3D")
                .contains("[redacted]");
    }

    @Test
    void refusedConnectionIsRetryable() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ApiResult.Failed<Project> failed = (ApiResult.Failed<Project>) client
                .importProject(URI.create("http://127.0.0.1:" + port), KEY, TOKEN);
        assertThat(failed.failure()).isEqualTo(Failure.RETRYABLE);
        assertThat(failed.error().code()).isEqualTo("ConnectionFailed");
    }

    @Test
    void theTokenIsEncodedExactlyOnceAndTheKeyGoesInTheHeader() {
        answer.set(new Answer(200, "{\"id\":\"p1\",\"status\":\"Importing\"}"));
        client.importProject(scriptedEndpoint(), KEY, TOKEN);
        assertThat(received).singleElement().satisfies(line -> {
            String query = line.substring(0, line.indexOf(" key="));
            assertThat(java.net.URLDecoder.decode(query.substring("token=".length()), StandardCharsets.UTF_8))
                    .isEqualTo(TOKEN);
            assertThat(line).endsWith(" key=" + KEY);
        });
    }
}
