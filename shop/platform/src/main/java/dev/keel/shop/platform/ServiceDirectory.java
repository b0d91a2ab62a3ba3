package dev.keel.shop.platform;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/** Where each service answers HTTP: {@code http://localhost:<port>} unless configured otherwise. */
public final class ServiceDirectory {

    private final Map<String, URI> baseUrls;

    public ServiceDirectory(Map<String, URI> baseUrls) {
        this.baseUrls = Map.copyOf(baseUrls);
    }

    public URI baseUrl(String service) {
        URI uri = baseUrls.get(service);
        if (uri == null) {
            throw new IllegalArgumentException("no service named '" + service + "'; known: " + new TreeMap<>(baseUrls).keySet());
        }
        return uri;
    }

    public Map<String, URI> all() {
        return baseUrls;
    }
}
