package io.flowraft.deploy.pods;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/** The Secrets and ConfigMaps the API server holds for the namespace: what pods' env and volumes refer to. */
final class ClusterObjects {

    private final Map<String, Map<String, byte[]>> secrets = new HashMap<>();
    private final Map<String, Map<String, byte[]>> configMaps = new HashMap<>();

    synchronized void apply(Secret secret) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
        }
        if (secret.getStringData() != null) {
            secret.getStringData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        secrets.put(secret.getMetadata().getName(), data);
    }

    synchronized void apply(ConfigMap configMap) {
        Map<String, byte[]> data = new LinkedHashMap<>();
        if (configMap.getData() != null) {
            configMap.getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
        }
        configMaps.put(configMap.getMetadata().getName(), data);
    }

    synchronized boolean hasSecret(String name) {
        return secrets.containsKey(name);
    }

    synchronized Map<String, byte[]> secret(String name) {
        return found(secrets.get(name), "Secret", name);
    }

    synchronized Map<String, byte[]> configMap(String name) {
        return found(configMaps.get(name), "ConfigMap", name);
    }

    String secretText(String name, String key) {
        byte[] value = secret(name).get(key);
        if (value == null) {
            throw new NoSuchElementException("Secret " + name + " has no key " + key);
        }
        return new String(value, StandardCharsets.UTF_8);
    }

    private static Map<String, byte[]> found(Map<String, byte[]> data, String kind, String name) {
        if (data == null) {
            throw new NoSuchElementException(kind + " " + name + " does not exist (a pod referring to it would not start)");
        }
        return data;
    }
}
