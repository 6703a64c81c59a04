package io.cvimport.customvision;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.utils.DateUtils;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls the Training API operations the import needs (ImportProject, GetProject,
 * GetProjects, and for source projects ExportProject and the reads that verify an import). Every call returns an
 * {@link ApiResult}; nothing is retried here (retries are the job's decision) and no
 * redirect is followed, so a training key never travels to another host.
 * <p>
 * A failed call is classified by what the wire proves, not by the exception's type: a
 * failure before the connection was ready (see {@link RequestProgress}) sent nothing; any
 * failure after it may follow a request the service received and performed.
 * <p>
 * Keys and tokens go into the request only: messages in results are scrubbed of both.
 */
public final class CustomVisionClient implements CustomVisionApi {

    private static final String API = "/customvision/v3.2/training/projects";
    private static final String KEY_HEADER = "Training-key";
    private static final int MAX_BODY_IN_MESSAGE = 300;

    private final CloseableHttpClient http;
    private final JsonMapper json;
    private final Duration requestLifetime;

    /**
     * @param requestLifetime the longest a request can live on the wire: its connect timeout,
     *                        then the TLS handshake and the answer, each bounded by the response
     *                        timeout
     */
    public CustomVisionClient(CloseableHttpClient http, JsonMapper json, Duration requestLifetime) {
        this.http = http;
        this.json = json;
        this.requestLifetime = requestLifetime;
    }

    /** After this long from its send, a request can no longer be performed on our behalf. */
    @Override
    public Duration requestLifetime() {
        return requestLifetime;
    }

    /** ImportProject: creates a project from an export token. Not idempotent. */
    @Override
    public ApiResult<Project> importProject(URI endpoint, String key, String token) {
        HttpPost post = new HttpPost(URI.create(base(endpoint) + API + "/import?token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8)));
        // The service answers 411 to a POST without Content-Length.
        post.setEntity(new ByteArrayEntity(new byte[0], null));
        return call(post, key, new Secrets(key, token), true, this::project);
    }

    /** GetProject: one project by id. */
    @Override
    public ApiResult<Project> getProject(URI endpoint, String key, String projectId) {
        return call(new HttpGet(URI.create(base(endpoint) + API + "/"
                + URLEncoder.encode(projectId, StandardCharsets.UTF_8))), key, new Secrets(key, null), false, this::project);
    }

    /** GetProjects: every project of the resource, which settles many imports with one call. */
    @Override
    public ApiResult<List<Project>> getProjects(URI endpoint, String key) {
        return call(new HttpGet(URI.create(base(endpoint) + API)), key, new Secrets(key, null), false, node -> {
            if (!node.isArray()) {
                throw new MalformedAnswer("expected a list of projects");
            }
            List<Project> projects = new ArrayList<>(node.size());
            for (JsonNode element : node) {
                projects.add(project(element));
            }
            return projects;
        });
    }

    /**
     * ExportProject: a fresh token for the source project. It creates nothing, so any
     * failure short of a refusal may simply be sent again.
     */
    @Override
    public ApiResult<ProjectExport> exportProject(TargetResource source, String projectId) {
        return call(new HttpGet(URI.create(base(source.endpoint()) + API + "/"
                + URLEncoder.encode(projectId, StandardCharsets.UTF_8) + "/export")), source.key(),
                new Secrets(source.key(), null), false, ExportAnswers::parse);
    }

    /**
     * GetTaggedImageCount, GetUntaggedImageCount, GetTags or GetIterations: a number of the
     * project's workspace (no iteration is named).
     */
    @Override
    public ApiResult<Integer> count(TargetResource resource, String projectId, ProjectCount what) {
        return call(new HttpGet(URI.create(base(resource.endpoint()) + API + "/"
                + URLEncoder.encode(projectId, StandardCharsets.UTF_8) + "/" + what.path())), resource.key(),
                new Secrets(resource.key(), null), false, body -> ExportAnswers.count(body, what));
    }

    private static String base(URI endpoint) {
        String text = endpoint.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    private <T> ApiResult<T> call(HttpUriRequestBase request, String key, Secrets secrets, boolean performsWork,
            BodyParser<T> parser) {
        request.setHeader(KEY_HEADER, key);
        request.setHeader("Accept", "application/json");
        HttpClientContext context = HttpClientContext.create();
        long sentAt = System.currentTimeMillis();
        try {
            return http.execute(request, context, response -> answer(response, secrets, performsWork, parser,
                    Math.max(sentAt, RequestProgress.startedAt(context))));
        }
        catch (IOException e) {
            if (RequestProgress.nothingSent(context)) {
                return UnsentFailures.classify(e, String.valueOf(request.getAuthority()), secrets);
            }
            // A byte may have left: the service may have received the request and performed it.
            Failure failure = performsWork ? Failure.UNCERTAIN : Failure.RETRYABLE;
            return new ApiResult.Failed<>(failure,
                    new ApiError(ApiError.NO_RESPONSE, "NoResponse", secrets.scrub(describe(e))), null, null,
                    RequestProgress.startedAt(context));
        }
    }

    /** @param sentAt when the request's first byte could leave */
    private <T> ApiResult<T> answer(ClassicHttpResponse response, Secrets secrets, boolean performsWork,
            BodyParser<T> parser, long sentAt) throws IOException {
        ServerDate date = serverDate(response, sentAt);
        int status = response.getCode();
        String body = response.getEntity() == null ? ""
                : new String(EntityUtils.toByteArray(response.getEntity()), StandardCharsets.UTF_8);
        if (status == 200) {
            try {
                return new ApiResult.Ok<>(parser.parse(json.readTree(body)), date, sentAt);
            }
            catch (JacksonException | MalformedAnswer e) {
                // A 200 we cannot read: for an import, the project may exist all the same.
                Failure failure = performsWork ? Failure.UNCERTAIN : Failure.RETRYABLE;
                return new ApiResult.Failed<>(failure, new ApiError(status, "MalformedAnswer",
                        secrets.scrub("unreadable answer: " + shorten(e.getMessage()))), null, date, sentAt);
            }
        }
        ApiError error = ErrorBodies.parse(status, body, json, secrets);
        Duration retryAfter = RetryAfter.parse(response.getFirstHeader("Retry-After") == null ? null
                : response.getFirstHeader("Retry-After").getValue(), error.message(), Instant.now());
        return new ApiResult.Failed<>(classify(status, performsWork), error, retryAfter, date, sentAt);
    }

    private static @Nullable ServerDate serverDate(ClassicHttpResponse response, long sentAt) {
        long receivedAt = System.currentTimeMillis();
        Header header = response.getFirstHeader("Date");
        Instant date = header == null ? null : DateUtils.parseStandardDate(header.getValue());
        return date == null ? null : new ServerDate(sentAt, receivedAt, date);
    }

    /**
     * Only a 4xx is a refusal made before any work: 429 asks us to wait, the others are
     * final. Any 5xx (503 included: a gateway may answer it after the backend did the
     * work) may follow work already done, so for an import it is uncertain. 3xx is never
     * followed: for us it is a refusal.
     */
    static Failure classify(int status, boolean performsWork) {
        if (status == 429) {
            return Failure.RETRYABLE;
        }
        if (status >= 500) {
            return performsWork ? Failure.UNCERTAIN : Failure.RETRYABLE;
        }
        return Failure.TERMINAL;
    }

    private Project project(JsonNode node) {
        if (!node.isObject()) {
            throw new MalformedAnswer("expected a project");
        }
        String id = text(node, "id");
        if (id == null || id.isBlank()) {
            throw new MalformedAnswer("project without an id");
        }
        String status = text(node, "status");
        return new Project(id, String.valueOf(text(node, "name")), ProjectStatus.parse(status),
                status == null ? "" : status, instant(text(node, "created")));
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static @Nullable Instant instant(@Nullable String text) {
        if (text == null) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        }
        catch (DateTimeParseException e) {
            try {
                // The service sometimes omits the zone; it means UTC.
                return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
            }
            catch (DateTimeParseException ignored) {
                return null;
            }
        }
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + shorten(message));
    }

    static String shorten(@Nullable String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= MAX_BODY_IN_MESSAGE ? flat : flat.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }

    @FunctionalInterface
    private interface BodyParser<T> {
        T parse(JsonNode body);
    }

    static final class MalformedAnswer extends RuntimeException {
        MalformedAnswer(String message) {
            super(message, null, false, false);
        }
    }

    /** The secrets of one call, to be scrubbed from anything the service echoes back. */
    record Secrets(String key, @Nullable String token) {

        private static final Pattern SAS_SIGNATURE = Pattern.compile("(?i)(sig(?:=|%3D))[^&\\s\"'<>]+");

        String scrub(String text) {
            String result = text;
            for (String secret : new String[] { key, token }) {
                if (secret == null || secret.isEmpty()) {
                    continue;
                }
                for (String form : List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8))) {
                    result = result.replace(form, "[redacted]");
                }
            }
            // Any SAS signature, of a token we sent or of one the service echoes (an export's answer).
            result = SAS_SIGNATURE.matcher(result).replaceAll("$1[redacted]");
            if (token != null) {
                // The signature alone is the secret part of a SAS URL.
                int sig = token.toLowerCase(Locale.ROOT).indexOf("sig=");
                if (sig >= 0) {
                    String signature = token.substring(sig + 4).split("&", 2)[0];
                    if (signature.length() >= 8) {
                        result = result.replace(signature, "[redacted]")
                                .replace(URLEncoder.encode(signature, StandardCharsets.UTF_8), "[redacted]");
                    }
                }
            }
            return result;
        }
    }
}
