package io.flowraft.deploy.chart;

import io.flowraft.coordinator.CoordinatorApplication;
import io.flowraft.worker.WorkerApplication;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * A service the chart runs, as its jar on the test class path shows it: its classes (one base package) and the
 * resources of its own jar. Both jars have an {@code application.properties}; the class path would give only one.
 */
enum FlowRaftService {

    COORDINATOR(CoordinatorApplication.class),
    WORKER(WorkerApplication.class);

    private final Class<?> mainClass;

    FlowRaftService(Class<?> mainClass) {
        this.mainClass = mainClass;
    }

    Class<?> mainClass() {
        return mainClass;
    }

    String basePackage() {
        return mainClass.getPackageName();
    }

    /** {@code application.properties} of this service's jar. */
    Properties applicationProperties() {
        return properties("application.properties");
    }

    /** A properties resource of this service's jar alone (empty when it has none). */
    Properties properties(String resource) {
        Properties properties = new Properties();
        try (URLClassLoader ownJar = new URLClassLoader(new URL[] {location()}, null);
                InputStream in = ownJar.getResourceAsStream(resource)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /**
     * The classes of this service's jar (not of its test jar) annotated with this annotation, directly or as a
     * meta-annotation ({@code @RestController} is a {@code @Controller}). Not initialized.
     */
    List<Class<?>> classesAnnotatedWith(Class<? extends Annotation> annotation) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(annotation));
        List<Class<?>> types = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage())) {
            try {
                Class<?> type = Class.forName(candidate.getBeanClassName(), false, mainClass.getClassLoader());
                if (type.getProtectionDomain().getCodeSource().getLocation().equals(location())) {
                    types.add(type);
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return types;
    }

    private URL location() {
        return mainClass.getProtectionDomain().getCodeSource().getLocation();
    }
}
