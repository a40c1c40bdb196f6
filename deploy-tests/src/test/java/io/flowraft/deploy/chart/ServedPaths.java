package io.flowraft.deploy.chart;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertiesPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The HTTP GET paths a service would serve on each port, given a container's environment and its config file,
 * worked out without starting it: Spring's environment is built as the service would build it (the container's
 * variables, then the mounted {@code application.properties}, then the jar's own, then the defaults its
 * {@code EnvironmentPostProcessor}s add, such as the coordinator's management port), and read for
 * {@code server.port}, {@code management.server.port}, the exposed actuator endpoints (those that exist: Boot's
 * {@code health}, {@code info}, {@code prometheus} and the service's own {@code @Endpoint}s), the health probes
 * and groups, the {@code /livez} and {@code /readyz} additional paths, and the service's own literal
 * {@code @GetMapping}s. The pods-as-processes test checks the same live.
 */
final class ServedPaths {

    private static final Set<String> BOOT_ENDPOINTS = Set.of("health", "info", "prometheus");
    /** What class path scanning finds, per service: it does not change during a run. */
    private static final Map<FlowRaftService, Set<String>> ENDPOINT_IDS = new ConcurrentHashMap<>();
    private static final Map<FlowRaftService, Set<String>> GET_MAPPINGS = new ConcurrentHashMap<>();

    private final int serverPort;
    private final int managementPort;
    private final Set<String> serverPaths;
    private final Set<String> managementPaths;

    private ServedPaths(int serverPort, int managementPort, Set<String> serverPaths, Set<String> managementPaths) {
        this.serverPort = serverPort;
        this.managementPort = managementPort;
        this.serverPaths = serverPaths;
        this.managementPaths = managementPaths;
    }

    /**
     * @param environment the container's literal environment variables
     * @param configFile  the properties of the mounted config file ({@code spring.config.additional-location})
     */
    static ServedPaths of(FlowRaftService service, Map<String, String> environment, Map<String, String> configFile) {
        StandardEnvironment spring = environment(service, environment, configFile);
        int serverPort = spring.getProperty("server.port", Integer.class, 8080);
        int managementPort = spring.getProperty("management.server.port", Integer.class, serverPort);
        String base = spring.getProperty("management.endpoints.web.base-path", "/actuator");
        boolean probes = spring.getProperty("management.endpoint.health.probes.enabled", Boolean.class, false);

        Set<String> management = new TreeSet<>();
        Set<String> available = new TreeSet<>(BOOT_ENDPOINTS);
        available.addAll(ENDPOINT_IDS.computeIfAbsent(service, ServedPaths::endpointIds));
        for (String id : spring.getProperty("management.endpoints.web.exposure.include", "health").split(",")) {
            if (available.contains(id.strip()) || id.strip().equals("*")) {
                (id.strip().equals("*") ? available : Set.of(id.strip())).forEach(e -> management.add(base + "/" + e));
            }
        }
        if (management.contains(base + "/health")) {
            if (probes) {
                management.add(base + "/health/liveness");
                management.add(base + "/health/readiness");
            }
            healthGroups(spring).forEach(group -> management.add(base + "/health/" + group));
        }

        Set<String> server = new TreeSet<>(GET_MAPPINGS.computeIfAbsent(service, ServedPaths::getMappings));
        if (probes && spring.getProperty("management.endpoint.health.probes.add-additional-paths", Boolean.class,
                false)) {
            server.add("/livez");
            server.add("/readyz");
        }
        if (managementPort == serverPort) {
            server.addAll(management);
            management.clear();
            management.addAll(server);
        }
        return new ServedPaths(serverPort, managementPort, server, management);
    }

    int serverPort() {
        return serverPort;
    }

    int managementPort() {
        return managementPort;
    }

    /** The paths served on this port; empty when the service listens on no such port. */
    Set<String> paths(int port) {
        if (port == serverPort) {
            return serverPaths;
        }
        return port == managementPort ? managementPaths : Set.of();
    }

    boolean serves(int port, String path) {
        return paths(port).contains(path);
    }

    @Override
    public String toString() {
        return "server port " + serverPort + " " + serverPaths + ", management port " + managementPort + " "
                + managementPaths;
    }

    private static StandardEnvironment environment(FlowRaftService service, Map<String, String> environment,
            Map<String, String> configFile) {
        StandardEnvironment spring = new StandardEnvironment();
        MutablePropertySources sources = spring.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        sources.addLast(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(environment)));
        sources.addLast(new MapPropertySource("config file", new HashMap<>(configFile)));
        Properties own = service.applicationProperties();
        sources.addLast(new PropertiesPropertySource("jar application.properties", own));
        ConfigurationPropertySources.attach(spring);
        SpringApplication application = new SpringApplication(service.mainClass());
        for (EnvironmentPostProcessor processor : postProcessors(service)) {
            processor.postProcessEnvironment(spring, application);
        }
        return spring;
    }

    private static List<EnvironmentPostProcessor> postProcessors(FlowRaftService service) {
        String names = service.properties("META-INF/spring.factories")
                .getProperty(EnvironmentPostProcessor.class.getName(), "");
        List<EnvironmentPostProcessor> processors = new ArrayList<>();
        for (String name : names.split(",")) {
            if (!name.isBlank()) {
                try {
                    var constructor = Class.forName(name.strip()).getDeclaredConstructor();
                    constructor.setAccessible(true);
                    processors.add((EnvironmentPostProcessor) constructor.newInstance());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(name, e);
                }
            }
        }
        return processors;
    }

    private static Set<String> healthGroups(StandardEnvironment spring) {
        Set<String> groups = new TreeSet<>();
        String prefix = "management.endpoint.health.group.";
        for (var source : spring.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                Arrays.stream(enumerable.getPropertyNames()).filter(n -> n.startsWith(prefix))
                        .map(n -> n.substring(prefix.length()).split("\\.")[0]).forEach(groups::add);
            }
        }
        return groups;
    }

    private static Set<String> endpointIds(FlowRaftService service) {
        Set<String> ids = new TreeSet<>();
        for (Class<?> type : service.classesAnnotatedWith(Endpoint.class)) {
            ids.add(type.getAnnotation(Endpoint.class).id());
        }
        return ids;
    }

    /** The literal paths of the service's own {@code @GetMapping}s ({@code /api/v1/x/{id}} is left out). */
    private static Set<String> getMappings(FlowRaftService service) {
        Set<String> paths = new TreeSet<>();
        for (Class<?> type : service.classesAnnotatedWith(Controller.class)) {
            RequestMapping prefix = AnnotatedElementUtils.findMergedAnnotation(type, RequestMapping.class);
            String[] prefixes = prefix == null || prefix.path().length == 0 ? new String[] {""} : prefix.path();
            for (Method method : type.getDeclaredMethods()) {
                GetMapping get = AnnotatedElementUtils.findMergedAnnotation(method, GetMapping.class);
                if (get == null) {
                    continue;
                }
                String[] own = get.path().length == 0 ? new String[] {""} : get.path();
                for (String first : prefixes) {
                    for (String second : own) {
                        String path = first + second;
                        if (!path.contains("{")) {
                            paths.add(path);
                        }
                    }
                }
            }
        }
        return paths;
    }
}
