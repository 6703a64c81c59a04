package io.cvimport.emulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Custom Vision Training API v3.2 emulator serving real HTTP on a loopback port, after
 * the reference page: ImportProject, GetProject and GetProjects, per key.
 * <p>
 * Tokens steer it: a token containing {@code invalid} is refused with
 * BadRequestInvalidImportToken, {@code fail} imports to status Failed, {@code slow} stays
 * Importing for {@link #slowImport}. Keys it does not know get the gateway's 401. Each key
 * has a rate limit answering 429 with Retry-After; {@link #loseAnswers} performs an import
 * and then drops the connection without answering.
 * <p>
 * Failures of the wire: {@link #https} serves it over TLS; {@link #answer503AfterWork}
 * performs an import and then answers 503 as a gateway may; {@link #resetAfterWork}
 * performs it and then breaks the TLS connection while the answer is read;
 * {@link #holdImports} keeps imports waiting unperformed until {@link #dropHeldImports};
 * {@link #createForeignProject} makes a project as someone else would.
 * <p>
 * A resource is named by its first key: {@link #linkKey} gives it a second key (a rotated
 * key), and {@link #secondEndpoint} serves every resource at another port too (a custom
 * subdomain beside the regional endpoint). Projects, counts and rate limits are per resource.
 * <p>
 * ExportProject: {@link #sourceProject} puts a project in a resource; its exports mint
 * tokens that expire after {@link #exportTokenLifetime} and import projects carrying its
 * name and tag count (GetTags answers them); see {@link SourceProjects}.
 */
public final class CustomVisionEmulator implements AutoCloseable {

    private static final String API = "/customvision/v3.2/training/projects";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final Map<String, List<EmulatedProject>> projectsByKey = new ConcurrentHashMap<>();
    private final Map<String, Deque<Long>> callsByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> importsByKeyAndToken = new ConcurrentHashMap<>();
    private final Map<String, List<String>> projectIdsByKeyAndToken = new ConcurrentHashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong imports = new AtomicLong();
    private final AtomicLong lostAnswers = new AtomicLong();
    private final List<String> requestLog = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> resourceOfKey = new ConcurrentHashMap<>();
    private volatile HttpServer secondServer;

    private volatile int ratePerSecond = Integer.MAX_VALUE;
    /** Calls still to be answered 429 whatever the rate: throttling that does not depend on timing. */
    private final AtomicInteger throttleNext = new AtomicInteger();
    private volatile Duration importDelay = Duration.ZERO;
    private volatile Duration importJitter = Duration.ZERO;
    private volatile Duration slowImport = Duration.ofHours(1);
    private volatile Duration latency = Duration.ZERO;
    private final Map<String, Duration> latencyByKey = new ConcurrentHashMap<>();
    private volatile Share loseAnswers = Share.NONE;
    private volatile int projectLimit = Integer.MAX_VALUE;
    private final Map<String, Integer> projectLimitByResource = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> listingsByResource = new ConcurrentHashMap<>();
    /** When (System.nanoTime) each resource answered a listing, and performed an import. */
    private final Map<String, List<Long>> listedAtByResource = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> importedAtByResource = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> throttledByResource = new ConcurrentHashMap<>();
    private volatile Share answer503AfterWork = Share.NONE;
    private volatile Share resetAfterWork = Share.NONE;
    private volatile boolean holdImports;
    /** The service's clock minus the real one: its projects' times and its Date headers (see {@link #clockOffset}). */
    private volatile Duration clockOffset = Duration.ZERO;
    /** How long an ImportProject request takes to be answered, beyond {@link #latency} (see {@link #importLatency}). */
    private volatile Duration importLatency = Duration.ZERO;
    /** A key revoked as soon as an import with it is performed, its answer lost (see {@link #revokeOnImport}). */
    private volatile String revokeOnImport;
    /** Someone else makes a project on the resource beside each import (see {@link #foreignProjectOnImport}). */
    private volatile boolean foreignProjectOnImport;
    /** A gateway's 503 before any work, whatever the key (see {@link #gateway503BeforeWork}). */
    private volatile Share gateway503BeforeWork = Share.NONE;
    /** A slow backend: how long after the request arrives an import is performed (see {@link #performAfter}). */
    private volatile Duration performAfter = Duration.ZERO;
    private final AtomicLong held = new AtomicLong();
    private final java.util.concurrent.CountDownLatch dropHeld = new java.util.concurrent.CountDownLatch(1);
    private volatile TlsFront tls;
    private volatile boolean failReads;
    private volatile boolean failReadsOnceImported;
    private final SourceProjects sources = new SourceProjects();
    /** ExportProject calls still to be answered 503. */
    private final AtomicInteger failNextExports = new AtomicInteger();

    public CustomVisionEmulator() throws IOException {
        this(0);
    }

    public CustomVisionEmulator(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        executor = Executors.newFixedThreadPool(64, r -> {
            Thread thread = new Thread(r, "emulator");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext(API, this::handle);
        server.start();
    }

    /**
     * Back to a fresh emulator's behaviour and counts, for the next test of a JVM that shares
     * this one: every setting that is not per key, and the counts over all keys. What is kept
     * per key (keys, projects, imports by token, per-key limits) stays: a test that shares the
     * emulator uses keys of its own. Not for an https emulator, nor one holding imports.
     */
    public CustomVisionEmulator reset() {
        ratePerSecond = Integer.MAX_VALUE;
        throttleNext.set(0);
        importDelay = Duration.ZERO;
        importJitter = Duration.ZERO;
        slowImport = Duration.ofHours(1);
        latency = Duration.ZERO;
        loseAnswers = Share.NONE;
        projectLimit = Integer.MAX_VALUE;
        answer503AfterWork = Share.NONE;
        resetAfterWork = Share.NONE;
        clockOffset = Duration.ZERO;
        importLatency = Duration.ZERO;
        revokeOnImport = null;
        foreignProjectOnImport = false;
        gateway503BeforeWork = Share.NONE;
        performAfter = Duration.ZERO;
        failReads = false;
        failReadsOnceImported = false;
        failNextExports.set(0);
        sources.tokenLifetime(Duration.ofHours(24));
        sources.importedTagsDelta(0);
        calls.set(0);
        throttled.set(0);
        imports.set(0);
        lostAnswers.set(0);
        requestLog.clear();
        return this;
    }

    public URI endpoint() {
        TlsFront front = tls;
        return front != null ? URI.create("https://127.0.0.1:" + front.port())
                : URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Serves https from now on (the endpoint changes), with this server certificate. */
    public CustomVisionEmulator https(javax.net.ssl.SSLContext context) throws IOException {
        tls = new TlsFront(context, server.getAddress());
        return this;
    }

    /** The share of imports (0 to 1) performed and then answered 503, as a gateway may. */
    public CustomVisionEmulator answer503AfterWork(double share) {
        this.answer503AfterWork = new Share(share);
        return this;
    }

    /** The share of imports (0 to 1) performed and then broken off at the TLS layer (https only). */
    public CustomVisionEmulator resetAfterWork(double share) {
        this.resetAfterWork = new Share(share);
        return this;
    }

    /** Imports arriving from now on wait, unperformed, until {@link #dropHeldImports}. */
    /**
     * A slow backend: each import is performed this long after its request arrived, whether
     * or not the client is still waiting for the answer then.
     */
    public CustomVisionEmulator performAfter(Duration after) {
        this.performAfter = after;
        return this;
    }

    /** The service's clock runs this far from the real one: project times and Date headers show it. */
    public CustomVisionEmulator clockOffset(Duration offset) {
        this.clockOffset = offset;
        return this;
    }

    /** Each ImportProject answer takes this long more, after the import was performed. */
    public CustomVisionEmulator importLatency(Duration latency) {
        this.importLatency = latency;
        return this;
    }

    /** A gateway answers this share of all calls 503 before any work, before even the key is looked at. */
    public CustomVisionEmulator gateway503BeforeWork(double share) {
        this.gateway503BeforeWork = share <= 0 ? Share.NONE : new Share(share);
        return this;
    }

    public CustomVisionEmulator holdImports() {
        this.holdImports = true;
        return this;
    }

    /** How many imports are waiting (or waited) unperformed. */
    public long heldImports() {
        return held.get();
    }

    /** Drops the held imports' connections without performing them; later imports are served. */
    public void dropHeldImports() {
        holdImports = false;
        dropHeld.countDown();
    }

    /** A project made in this key's resource by someone else, now. */
    /**
     * Someone else makes a project on the same resource at the moment each import is
     * performed: a lost answer then has two candidates, and only the operator can tell.
     */
    public CustomVisionEmulator foreignProjectOnImport(boolean foreign) {
        this.foreignProjectOnImport = foreign;
        return this;
    }

    public EmulatedProject createForeignProject(String key) {
        List<EmulatedProject> projects = projectsByKey.computeIfAbsent(key,
                k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        EmulatedProject project = new EmulatedProject(UUID.randomUUID().toString(), "made-by-someone-else",
                Instant.now(), Instant.now(), false);
        projects.add(project);
        return project;
    }

    /** A project of this key's resource that ExportProject can export; returns its id. */
    public String sourceProject(String key, String name, int tags, int images) {
        return sourceProject(key, name, tags, images, 1, 0);
    }

    /** A project of this key's resource that ExportProject can export, with all its counts; returns its id. */
    public String sourceProject(String key, String name, int tags, int images, int iterations, int regions) {
        return sourceProject(key, UUID.randomUUID(), name, tags, images, iterations, regions);
    }

    /** The same with an id of the caller's (the sample's file names its projects). */
    public String sourceProject(String key, UUID projectId, String name, int tags, int images, int iterations,
            int regions) {
        String id = projectId.toString();
        Instant created = Instant.now().minus(Duration.ofDays(1));
        projectsByKey.computeIfAbsent(resource(key), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(new EmulatedProject(id, name, created, created, false));
        sources.add(new SourceProjects.Source(resource(key), id, name, tags, images, iterations, regions));
        return id;
    }

    /** How long the tokens of exports made from now on live (their {@code se=}); 24 hours by default. */
    public CustomVisionEmulator exportTokenLifetime(Duration lifetime) {
        sources.tokenLifetime(lifetime);
        return this;
    }

    /** The next {@code exports} ExportProject calls with a known key are answered 503. */
    public CustomVisionEmulator failNextExports(int exports) {
        failNextExports.set(exports);
        return this;
    }

    /** Projects imported from now on carry this many images more (or fewer) than their source: an import gone wrong. */
    public CustomVisionEmulator importedImagesDelta(int delta) {
        sources.importedImagesDelta(delta);
        return this;
    }

    /** Projects imported from now on carry this many tags more (or fewer) than their source: an import gone wrong. */
    public CustomVisionEmulator importedTagsDelta(int delta) {
        sources.importedTagsDelta(delta);
        return this;
    }

    /** Every token the exports minted so far. */
    public List<String> exportTokens() {
        return sources.mintedTokens();
    }

    /** How many exports this key's resource answered with a token. */
    public long exportsOf(String key) {
        return sources.exports(resource(key));
    }

    public CustomVisionEmulator key(String... known) {
        keys.addAll(List.of(known));
        return this;
    }

    /** Another key of the resource that {@code resourceKey} names, as after a key rotation. */
    /**
     * The first import with this key is performed, then the key is revoked and the answer lost:
     * from then on every call with it is refused 401.
     */
    public CustomVisionEmulator revokeOnImport(String key) {
        this.revokeOnImport = key;
        return this;
    }

    /** The key is revoked: every call with it is refused 401 from now on. */
    public CustomVisionEmulator revokeKey(String key) {
        keys.remove(key);
        return this;
    }

    public CustomVisionEmulator linkKey(String key, String resourceKey) {
        keys.add(key);
        resourceOfKey.put(key, resource(resourceKey));
        return this;
    }

    /** The same resources at a second port: the custom subdomain beside the regional endpoint. */
    public synchronized URI secondEndpoint() throws IOException {
        if (secondServer == null) {
            HttpServer second = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            second.setExecutor(executor);
            second.createContext(API, this::handle);
            second.start();
            secondServer = second;
        }
        return URI.create("http://127.0.0.1:" + secondServer.getAddress().getPort());
    }

    private String resource(String key) {
        return resourceOfKey.getOrDefault(key, key);
    }

    /** The next {@code calls} calls with a known key are answered 429 (Retry-After 1), whatever the rate. */
    public CustomVisionEmulator throttleNext(int calls) {
        throttleNext.set(calls);
        return this;
    }

    public CustomVisionEmulator ratePerSecond(int rate) {
        this.ratePerSecond = rate;
        return this;
    }

    /**
     * How long imports take: {@code delay} and a random share of {@code jitter}. An export
     * draws its token's import time at once and announces it as its estimate.
     */
    public CustomVisionEmulator importDelay(Duration delay, Duration jitter) {
        this.importDelay = delay;
        this.importJitter = jitter;
        return this;
    }

    public CustomVisionEmulator slowImport(Duration slow) {
        this.slowImport = slow;
        return this;
    }

    public CustomVisionEmulator latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** Every call made with this key takes this long more (a slow target among fast ones). */
    public CustomVisionEmulator latency(String key, Duration latency) {
        latencyByKey.put(key, latency);
        return this;
    }

    /** The share of imports (0 to 1, spread evenly from the first) performed and then left without an answer. */
    public CustomVisionEmulator loseAnswers(double share) {
        this.loseAnswers = new Share(share);
        return this;
    }

    public CustomVisionEmulator projectLimit(int limit) {
        this.projectLimit = limit;
        return this;
    }

    /**
     * The project limit of this key's resource alone (F0 allows 2): an import past it is
     * refused with BadRequestExceedProjectLimit. Resources without one are unlimited.
     */
    public CustomVisionEmulator projectLimit(String key, int limit) {
        projectLimitByResource.put(resource(key), limit);
        return this;
    }

    /** How many GetProjects calls this key's resource answered (429s and refusals not counted). */
    public long listings(String key) {
        AtomicLong count = listingsByResource.get(resource(key));
        return count == null ? 0 : count.get();
    }

    /** When (System.nanoTime) this key's resource answered each of its GetProjects calls. */
    public List<Long> listedAt(String key) {
        return List.copyOf(listedAtByResource.getOrDefault(resource(key), List.of()));
    }

    /** When (System.nanoTime) this key's resource performed each of its imports. */
    public List<Long> importedAt(String key) {
        return List.copyOf(importedAtByResource.getOrDefault(resource(key), List.of()));
    }

    /** GetProjects and GetProject answer 503 while on (a service whose reads are down). */
    public CustomVisionEmulator failReads(boolean fail) {
        this.failReads = fail;
        return this;
    }

    /**
     * GetProjects and GetProject answer 503 once any import was performed: the reads that
     * come before (a target's first listing) answer, every later one fails.
     */
    public CustomVisionEmulator failReadsOnceImported(boolean fail) {
        this.failReadsOnceImported = fail;
        return this;
    }

    /** How many projects were made from this token in this key's resource. */
    public int importsOf(String key, String token) {
        AtomicInteger count = importsByKeyAndToken.get(resource(key) + "\n" + token);
        return count == null ? 0 : count.get();
    }

    /** The ids of the projects made from this token in this key's resource, in creation order. */
    public List<String> projectIdsOf(String key, String token) {
        return List.copyOf(projectIdsByKeyAndToken.getOrDefault(resource(key) + "\n" + token, List.of()));
    }

    public List<EmulatedProject> projects(String key) {
        return List.copyOf(projectsByKey.getOrDefault(resource(key), List.of()));
    }

    public long calls() {
        return calls.get();
    }

    public long throttled() {
        return throttled.get();
    }

    /** Calls this key's resource answered 429. */
    public long throttled(String key) {
        AtomicLong count = throttledByResource.get(resource(key));
        return count == null ? 0 : count.get();
    }

    public long imports() {
        return imports.get();
    }

    public long lostAnswers() {
        return lostAnswers.get();
    }

    /** Every request line and header this emulator received, for secret scans. */
    public List<String> requestLog() {
        return List.copyOf(requestLog);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            calls.incrementAndGet();
            requestLog.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            if (!latency.isZero()) {
                Thread.sleep(latency.toMillis());
            }
            if (gateway503BeforeWork.next()) {
                send(exchange, 503, "<html><body><h1>503 Service Unavailable</h1></body></html>", null);
                return;
            }
            String key = exchange.getRequestHeaders().getFirst("Training-key");
            Duration keyLatency = key == null ? null : latencyByKey.get(key);
            if (keyLatency != null) {
                Thread.sleep(keyLatency.toMillis());
            }
            if (key == null || !keys.contains(key)) {
                send(exchange, 401, "{\"error\":{\"code\":\"401\",\"message\":\"Access denied due to invalid"
                        + " subscription key or wrong API endpoint. Make sure to provide a valid key for an active"
                        + " subscription and use a correct regional API endpoint for your resource.\"}}", null);
                return;
            }
            key = resource(key);
            if (throttle(key)) {
                throttled.incrementAndGet();
                throttledByResource.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                send(exchange, 429, "{\"error\":{\"code\":\"429\",\"message\":\"Rate limit is exceeded."
                        + " Try again in 1 seconds.\"}}", "1");
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if ((failReads || failReadsOnceImported && imports.get() > 0) && method.equals("GET")) {
                send(exchange, 503, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"The service is"
                        + " temporarily unavailable.\"}}", null);
                return;
            }
            if (method.equals("POST") && path.equals(API + "/import")) {
                importProject(exchange, key);
            }
            else if (method.equals("GET") && (path.equals(API) || path.equals(API + "/"))) {
                listingsByResource.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                listedAtByResource.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(System.nanoTime());
                List<String> json = new ArrayList<>();
                for (EmulatedProject project : projects(key)) {
                    json.add(project.json(clockOffset));
                }
                send(exchange, 200, "[" + String.join(",", json) + "]", null);
            }
            else if (method.equals("GET") && path.startsWith(API + "/") && path.endsWith("/export")) {
                exportProject(exchange, key, path.substring(API.length() + 1, path.length() - "/export".length()));
            }
            else if (method.equals("GET") && path.startsWith(API + "/") && path.indexOf('/', API.length() + 1) > 0) {
                // The reads that verify an import: .../projects/{id}/tags, /iterations, /images/(un)tagged/count.
                int slash = path.indexOf('/', API.length() + 1);
                String id = path.substring(API.length() + 1, slash);
                String body = sources.countJson(id, path.substring(slash + 1));
                if (body == null) {
                    send(exchange, 404, "{\"code\":\"NotFound\",\"message\":\"Not found.\"}", null);
                }
                else if (projects(key).stream().noneMatch(p -> p.id().equals(id))) {
                    send(exchange, 404, "{\"code\":\"NotFoundProject\",\"message\":\"Project not found.\"}", null);
                }
                else {
                    send(exchange, 200, body, null);
                }
            }
            else if (method.equals("GET") && path.startsWith(API + "/")) {
                String id = path.substring(API.length() + 1);
                EmulatedProject project = projects(key).stream().filter(p -> p.id().equals(id)).findFirst()
                        .orElse(null);
                if (project == null) {
                    send(exchange, 404, "{\"code\":\"NotFoundProject\",\"message\":\"Project not found.\"}", null);
                }
                else {
                    send(exchange, 200, project.json(clockOffset), null);
                }
            }
            else {
                send(exchange, 404, "{\"code\":\"NotFound\",\"message\":\"Not found.\"}", null);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void exportProject(HttpExchange exchange, String key, String projectId) throws IOException {
        if (failNextExports.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            send(exchange, 503, "{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"The service is"
                    + " temporarily unavailable.\"}}", null);
            return;
        }
        String body = sources.export(key, projectId, nextImportTakes());
        if (body == null) {
            send(exchange, 404, "{\"code\":\"NotFoundProject\",\"message\":\"Project not found.\"}", null);
        }
        else {
            send(exchange, 200, body, null);
        }
    }

    private void importProject(HttpExchange exchange, String key) throws IOException, InterruptedException {
        if (exchange.getRequestHeaders().getFirst("Content-Length") == null) {
            send(exchange, 411, "<html><body><h2>Length Required</h2></body></html>", null);
            return;
        }
        exchange.getRequestBody().readAllBytes();
        if (holdImports) {
            held.incrementAndGet();
            dropHeld.await();
            throw new IOException("held import dropped unperformed");
        }
        if (!performAfter.isZero()) {
            Thread.sleep(performAfter.toMillis());
        }
        String token = tokenOf(exchange.getRequestURI().getRawQuery());
        if (token == null || token.isEmpty()) {
            send(exchange, 400, "{\"code\":\"BadRequestRequiredParamIsNull\",\"message\":\"token is required\"}", null);
            return;
        }
        String refusal = sources.refusal(token);
        if (refusal != null) {
            send(exchange, 400, "{\"code\":\"BadRequestInvalidImportToken\",\"message\":\"" + refusal + "\"}",
                    null);
            return;
        }
        if (token.contains("invalid")) {
            send(exchange, 400, "{\"code\":\"BadRequestInvalidImportToken\",\"message\":\"Invalid import token.\"}",
                    null);
            return;
        }
        List<EmulatedProject> projects = projectsByKey.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>());
        EmulatedProject project;
        synchronized (projects) {
            if (projects.size() >= Math.min(projectLimit, projectLimitByResource.getOrDefault(key, Integer.MAX_VALUE))) {
                send(exchange, 400, "{\"code\":\"BadRequestExceedProjectLimit\",\"message\":\"Project limit"
                        + " reached.\"}", null);
                return;
            }
            Duration exported = sources.importTakes(token);
            Duration takes = token.contains("slow") ? slowImport : exported != null ? exported : nextImportTakes();
            project = new EmulatedProject(UUID.randomUUID().toString(),
                    sources.nameFor(token, projects, "imported-" + (projects.size() + 1)),
                    Instant.now(), Instant.now().plus(takes), token.contains("fail"));
            projects.add(project);
        }
        sources.imported(token, project.id());
        if (foreignProjectOnImport) {
            createForeignProject(key);
        }
        importedAtByResource.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(System.nanoTime());
        imports.incrementAndGet();
        importsByKeyAndToken.computeIfAbsent(key + "\n" + token, k -> new AtomicInteger()).incrementAndGet();
        projectIdsByKeyAndToken.computeIfAbsent(key + "\n" + token, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                .add(project.id());
        if (!importLatency.isZero()) {
            Thread.sleep(importLatency.toMillis());
        }
        String revoke = revokeOnImport;
        if (revoke != null && resource(revoke).equals(key)) {
            revokeOnImport = null;
            keys.remove(revoke);
            lostAnswers.incrementAndGet();
            throw new IOException("answer lost on purpose, and the key revoked");
        }
        if (loseAnswers.next()) {
            // Performed, then the connection drops without an answer.
            lostAnswers.incrementAndGet();
            throw new IOException("answer lost on purpose");
        }
        if (answer503AfterWork.next()) {
            lostAnswers.incrementAndGet();
            send(exchange, 503, "<html><body><h1>503 Service Unavailable</h1>The gateway timed out waiting"
                    + " for the backend.</body></html>", null);
            return;
        }
        TlsFront front = tls;
        if (front != null && resetAfterWork.next()) {
            lostAnswers.incrementAndGet();
            front.breakConnectionFrom(exchange.getRemoteAddress().getPort());
            throw new IOException("connection broken on purpose");
        }
        send(exchange, 200, project.json(clockOffset), null);
    }

    /** How long the next import takes: the import delay and a draw of its jitter. */
    private Duration nextImportTakes() {
        return importDelay.plusMillis(importJitter.isZero() ? 0
                : ThreadLocalRandom.current().nextLong(importJitter.toMillis() + 1));
    }

    private static String tokenOf(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        for (String part : rawQuery.split("&")) {
            if (part.startsWith("token=")) {
                return URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** A sliding one-second window of calls per key. */
    private boolean throttle(String key) {
        if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return true;
        }
        if (ratePerSecond == Integer.MAX_VALUE) {
            return false;
        }
        Deque<Long> window = callsByKey.computeIfAbsent(key, k -> new ArrayDeque<>());
        long now = System.nanoTime();
        synchronized (window) {
            while (!window.isEmpty() && now - window.peekFirst() >= 1_000_000_000L) {
                window.pollFirst();
            }
            if (window.size() >= ratePerSecond) {
                return true;
            }
            window.addLast(now);
            return false;
        }
    }

    private void send(HttpExchange exchange, int status, String body, String retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Date", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plus(clockOffset)));
        exchange.getResponseHeaders().set("Content-Type",
                body.startsWith("<") ? "text/html" : "application/json; charset=utf-8");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        dropHeld.countDown();
        if (tls != null) {
            tls.close();
        }
        server.stop(0);
        if (secondServer != null) {
            secondServer.stop(0);
        }
        executor.shutdownNow();
    }

    /** A project as the emulator keeps it; its status follows from the clock. */
    public record EmulatedProject(String id, String name, Instant created, Instant doneAt, boolean fails) {

        public String status() {
            if (Instant.now().isBefore(doneAt)) {
                return "Importing";
            }
            return fails ? "Failed" : "Succeeded";
        }

        String json(Duration clockOffset) {
            Instant created = this.created.plus(clockOffset);
            return "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"description\":\"imported\","
                    + "\"settings\":{\"domainId\":\"ee85a74c-405e-4adc-bb47-ffa8ca0c9f31\","
                    + "\"classificationType\":\"Multiclass\",\"targetExportPlatforms\":[],"
                    + "\"useNegativeSet\":true,\"detectionParameters\":null,"
                    + "\"imageProcessingSettings\":{\"augmentationMethods\":{}}},"
                    + "\"created\":\"" + created + "\",\"lastModified\":\"" + created + "\","
                    + "\"thumbnailUri\":null,\"drModeEnabled\":false,\"status\":\"" + status() + "\"}";
        }
    }
}
