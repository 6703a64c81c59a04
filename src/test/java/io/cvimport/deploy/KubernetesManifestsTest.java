package io.cvimport.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.Yaml;

import io.cvimport.job.ExitCode;

/**
 * The Kubernetes manifests of jobs/kubernetes, read offline: every option and property
 * variable they pass is one the job knows, the Jobs fail for good on the exit codes a retry
 * cannot change, the image is the one the build makes, the pods can read their input and keep
 * their reports, the workers are probed. What needs a cluster or a Docker engine (that the
 * image starts, that the probes pass) is not here.
 */
class KubernetesManifestsTest {

    private static final Path JOBS = Path.of("jobs");

    private static final KnownOptions known = new KnownOptions();
    private static final List<Resource> resources = new ArrayList<>();

    /** One document of a manifest. */
    record Resource(Path file, Map<String, Object> yaml) {
        String kind() {
            return (String) yaml.get("kind");
        }

        /** The pod template of a Job, a CronJob's Job or a Deployment; null for other kinds. */
        Map<String, Object> podSpec() {
            if (!Set.of("Job", "CronJob", "Deployment").contains(kind())) {
                return null;
            }
            Map<String, Object> spec = map(yaml, "spec");
            if ("CronJob".equals(kind())) {
                spec = map(map(spec, "jobTemplate"), "spec");
            }
            return spec.containsKey("template") ? map(map(spec, "template"), "spec") : null;
        }

        Map<String, Object> jobSpec() {
            Map<String, Object> spec = map(yaml, "spec");
            return "CronJob".equals(kind()) ? map(map(spec, "jobTemplate"), "spec") : spec;
        }

        List<Map<String, Object>> containers() {
            Map<String, Object> pod = podSpec();
            return pod == null ? List.of() : list(pod, "containers");
        }

        @Override
        public String toString() {
            return file.getFileName() + " " + kind() + " " + map(yaml, "metadata");
        }
    }

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> files = Files.list(JOBS.resolve("kubernetes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file, StandardCharsets.UTF_8))) {
                    if (document != null) {
                        resources.add(new Resource(file, cast(document)));
                    }
                }
            }
        }
        try (Stream<Path> files = Files.list(JOBS)) {
            assertThat(files.filter(f -> f.toString().endsWith(".yaml")).toList())
                    .as("every manifest in jobs/kubernetes/, where this test reads them").isEmpty();
        }
    }

    @Test
    void everyOptionTheManifestsPassIsOneTheJobKnows() {
        List<String> unknown = new ArrayList<>();
        for (Resource resource : resources) {
            for (Map<String, Object> container : jobContainers(resource)) {
                for (String key : List.of("command", "args")) {
                    for (Object arg : container.containsKey(key) ? list(container, key) : List.of()) {
                        known.checkOptions(String.valueOf(arg), resource + " " + key, unknown);
                    }
                }
                List<Map<String, Object>> env = container.containsKey("env") ? list(container, "env") : List.of();
                for (Map<String, Object> variable : env) {
                    known.checkVariable((String) variable.get("name"), resource.toString(), unknown);
                }
            }
            if ("ConfigMap".equals(resource.kind()) && resource.yaml().get("data") != null) {
                map(resource.yaml(), "data").keySet().forEach(name -> known.checkVariable(name, resource.toString(), unknown));
            }
        }
        assertThat(unknown).isEmpty();
        assertThat(resources.stream().flatMap(r -> jobContainers(r).stream())).as("containers of the job").hasSizeGreaterThan(2);
    }

    @Test
    void jobsFailForGoodOnTheExitCodesARetryCannotChangeAndRetryTheOthers() {
        Set<Integer> final_ = Set.of(ExitCode.USAGE.code(), ExitCode.ROWS_NEED_ATTENTION.code(),
                ExitCode.ALREADY_RUNNING.code());
        Set<Integer> defined = Arrays.stream(ExitCode.values()).map(ExitCode::code).collect(Collectors.toSet());
        List<Resource> jobs = resources.stream().filter(r -> Set.of("Job", "CronJob").contains(r.kind())).toList();
        assertThat(jobs).isNotEmpty();
        for (Resource job : jobs) {
            assertThat(job.podSpec().get("restartPolicy")).as(job.toString()).isEqualTo("Never");
            Set<Integer> failJob = new TreeSet<>();
            List<Map<String, Object>> rules = list(map(job.jobSpec(), "podFailurePolicy"), "rules");
            for (Map<String, Object> rule : rules) {
                if (rule.containsKey("onExitCodes")) {
                    Map<String, Object> codes = map(rule, "onExitCodes");
                    assertThat(job.containers().stream().map(c -> c.get("name")))
                            .as(job + ": the container of a rule").contains(codes.get("containerName"));
                    List<Integer> values = list(codes, "values");
                    assertThat(defined).as(job + ": codes the job can exit with (ExitCode)").containsAll(values);
                    if ("FailJob".equals(rule.get("action"))) {
                        failJob.addAll(values);
                    }
                }
            }
            assertThat(failJob).as(job + ": FailJob on 2, 3 and 4; 1 (resumable) is retried").isEqualTo(final_);
        }
        assertThat(resources.stream().filter(r -> "CronJob".equals(r.kind()))).as("one CronJob, one purpose")
                .hasSize(1);
    }

    @Test
    void theContainersRunTheImageTheBuildMakes() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        String version = pom.getDocumentElement().getElementsByTagName("version").item(1).getTextContent();
        assertThat(pom.getDocumentElement().getElementsByTagName("artifactId").item(1).getTextContent())
                .isEqualTo("customvision-import");
        String image = pom.getElementsByTagName("image.name").item(0).getTextContent()
                .replace("${project.version}", version);
        assertThat(pom.getElementsByTagName("image").item(0).getTextContent()).contains("${image.name}");
        List<Map<String, Object>> ours = resources.stream().flatMap(r -> jobContainers(r).stream()).toList();
        assertThat(ours).isNotEmpty().allSatisfy(c -> assertThat(c.get("image")).as(c.get("name").toString())
                .isEqualTo(image));
    }

    @Test
    void podsReadTheirInputAsTheirUserAndKeepTheirReports() {
        for (Resource resource : resources) {
            Map<String, Object> pod = resource.podSpec();
            if (pod == null || jobContainers(resource).isEmpty()) {
                continue;
            }
            Map<String, Object> security = map(pod, "securityContext");
            assertThat(security).as(resource.toString()).containsEntry("runAsNonRoot", true).containsKey("fsGroup");
            List<Map<String, Object>> volumes = list(pod, "volumes");
            for (Map<String, Object> volume : volumes) {
                for (String source : List.of("configMap", "secret")) {
                    Object mode = volume.containsKey(source) ? map(volume, source).get("defaultMode") : null;
                    if (mode != null) {
                        // Projected files belong to root and to the fsGroup: the group must read them.
                        assertThat(((Integer) mode) & 0040).as(resource + " volume " + volume.get("name")).isNotZero();
                    }
                }
                if ("reports".equals(volume.get("name"))) {
                    assertThat(volume).as(resource + ": reports outlive the pod").containsKey("persistentVolumeClaim");
                }
            }
            for (Map<String, Object> container : jobContainers(resource)) {
                assertThat(container.containsKey("args") ? list(container, "args") : List.of())
                        .as(resource + ": the report's default name holds the execution id: never overwritten")
                        .noneMatch(arg -> String.valueOf(arg).startsWith("--report="));
            }
        }
    }

    @Test
    void theRepositoryUrlFollowsTheNamespaceAndAsksForTls() {
        List<String> urls = new ArrayList<>();
        resources.forEach(r -> collect(r.yaml(), "SPRING_DATASOURCE_URL", urls));
        assertThat(urls).isNotEmpty().allSatisfy(url -> assertThat(url).doesNotContain(".default.")
                .contains("sslmode=verify-full"));
    }

    @Test
    void workersAreProbedOnTheHeartbeatFileTheyAreGiven() {
        List<Resource> deployments = resources.stream().filter(r -> "Deployment".equals(r.kind())
                && jobContainers(r).stream().anyMatch(c -> String.valueOf(c.get("args")).contains("--scale.role=worker")))
                .toList();
        assertThat(deployments).isNotEmpty();
        for (Resource deployment : deployments) {
            Map<String, Object> worker = jobContainers(deployment).get(0);
            String file = list(worker, "args").stream().map(String::valueOf)
                    .filter(arg -> arg.startsWith("--scale.worker-heartbeat-file=")).findFirst().orElseThrow()
                    .substring("--scale.worker-heartbeat-file=".length());
            for (String probe : List.of("startupProbe", "livenessProbe")) {
                assertThat(String.join(" ", list(map(map(worker, probe), "exec"), "command"))).as(probe)
                        .contains(file);
            }
        }
    }

    /** The containers that run the job (an external broker's do not). */
    private static List<Map<String, Object>> jobContainers(Resource resource) {
        return resource.containers().stream().filter(c -> String.valueOf(c.get("image")).contains("customvision-import"))
                .toList();
    }

    private static void collect(Object node, String variable, List<String> values) {
        if (node instanceof Map<?, ?> map) {
            if (variable.equals(map.get("name")) && map.get("value") != null) {
                values.add(String.valueOf(map.get("value")));
            }
            if (map.get(variable) instanceof String value) {
                values.add(value);
            }
            map.values().forEach(child -> collect(child, variable, values));
        }
        else if (node instanceof List<?> list) {
            list.forEach(child -> collect(child, variable, values));
        }
    }

    private static Map<String, Object> map(Map<String, Object> node, String key) {
        assertThat(node).as("has " + key).containsKey(key);
        return cast(node.get(key));
    }

    private static <T> List<T> list(Map<String, Object> node, String key) {
        assertThat(node).as("has " + key).containsKey(key);
        return cast(node.get(key));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
