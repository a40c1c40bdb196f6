package io.flowraft.deploy.chart;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The {@code flowraft.*} settings a service binds: every property of its {@code @ConfigurationProperties} records
 * (found on the class path in the service's package), and the environment variables its
 * {@code application.properties} reads by placeholder ({@code ${FLOWRAFT_CLUSTER_SECRET:}}).
 *
 * <p>Whether an environment variable or a properties key sets one of them is decided by Spring's own relaxed
 * binding ({@link ConfigurationPropertySource} over a {@link SystemEnvironmentPropertySource}, which Spring maps
 * as environment variables only under the name {@code systemEnvironment}, or over a properties source), so {@code FLOWRAFT_RAFT_DATA_DIR} sets {@code flowraft.raft.data-dir} and {@code FLOWRAFT_RAFT_PEERZ}
 * sets nothing. Below a map or a list of objects ({@code flowraft.worker.types.<type>.*}) any name is accepted.
 */
final class ServiceSettings {

    private static final String PREFIX = "flowraft";
    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    private final FlowRaftService service;
    private final Set<ConfigurationPropertyName> properties;
    private final Set<ConfigurationPropertyName> openPrefixes;
    private final Set<String> placeholderVariables;

    private ServiceSettings(FlowRaftService service, Set<ConfigurationPropertyName> properties,
            Set<ConfigurationPropertyName> openPrefixes, Set<String> placeholderVariables) {
        this.service = service;
        this.properties = properties;
        this.openPrefixes = openPrefixes;
        this.placeholderVariables = placeholderVariables;
    }

    static ServiceSettings of(FlowRaftService service) {
        Set<ConfigurationPropertyName> properties = new TreeSet<>();
        Set<ConfigurationPropertyName> openPrefixes = new TreeSet<>();
        List<Class<?>> types = service.classesAnnotatedWith(ConfigurationProperties.class);
        if (types.isEmpty()) {
            throw new IllegalStateException("no @ConfigurationProperties record in " + service);
        }
        for (Class<?> type : types) {
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
            collect(prefix, type, properties, openPrefixes);
        }
        Set<String> variables = new TreeSet<>();
        for (Object value : service.applicationProperties().values()) {
            Matcher placeholder = ENV_PLACEHOLDER.matcher(value.toString());
            while (placeholder.find()) {
                variables.add(placeholder.group(1));
            }
        }
        return new ServiceSettings(service, properties, openPrefixes, variables);
    }

    /** The properties found, e.g. {@code flowraft.raft.data-dir}. */
    Set<String> propertyNames() {
        Set<String> names = new TreeSet<>();
        properties.forEach(name -> names.add(name.toString()));
        openPrefixes.forEach(name -> names.add(name + ".*"));
        return names;
    }

    /** The {@code FLOWRAFT_*} variables of {@code environment} that set nothing this service reads. */
    List<String> unknownVariables(Map<String, String> environment) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> variable : environment.entrySet()) {
            String name = variable.getKey();
            if (name.startsWith(PREFIX.toUpperCase() + "_") && !placeholderVariables.contains(name)
                    && !setsAProperty(new SystemEnvironmentPropertySource(
                            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(name, variable.getValue())))) {
                unknown.add(name);
            }
        }
        return unknown;
    }

    /** The {@code flowraft.*} keys of these properties (a config file's) that set nothing this service reads. */
    List<String> unknownProperties(Map<String, String> keys) {
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, String> key : keys.entrySet()) {
            if (key.getKey().toLowerCase().startsWith(PREFIX + ".")
                    && !setsAProperty(new MapPropertySource("file", Map.of(key.getKey(), key.getValue())))) {
                unknown.add(key.getKey());
            }
        }
        return unknown;
    }

    @Override
    public String toString() {
        return service + " settings " + propertyNames();
    }

    private boolean setsAProperty(PropertySource<?> single) {
        ConfigurationPropertySource source = ConfigurationPropertySource.from(single);
        return properties.stream().anyMatch(name -> source.getConfigurationProperty(name) != null)
                || openPrefixes.stream()
                        .anyMatch(prefix -> source.containsDescendantOf(prefix) == ConfigurationPropertyState.PRESENT);
    }

    /** Adds the properties of a record (a {@code @ConfigurationProperties} one, or one nested in it). */
    private static void collect(String prefix, Class<?> type, Set<ConfigurationPropertyName> properties,
            Set<ConfigurationPropertyName> openPrefixes) {
        if (!type.isRecord()) {
            throw new IllegalStateException(type + ": only records are read (bind a JavaBean? extend this)");
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + dashed(component.getName());
            Class<?> valueType = component.getType();
            if (Map.class.isAssignableFrom(valueType)) {
                openPrefixes.add(ConfigurationPropertyName.of(name));
            } else if (Collection.class.isAssignableFrom(valueType)) {
                properties.add(ConfigurationPropertyName.of(name)); // a comma-separated value
                if (isNested(typeArgument(component.getGenericType()))) {
                    openPrefixes.add(ConfigurationPropertyName.of(name));
                }
            } else if (isNested(valueType)) {
                collect(name, valueType, properties, openPrefixes);
            } else {
                properties.add(ConfigurationPropertyName.of(name));
            }
        }
    }

    private static boolean isNested(Type type) {
        return type instanceof Class<?> c && c.isRecord();
    }

    private static Type typeArgument(Type type) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
    }

    private static String dashed(String camelCase) {
        return camelCase.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
