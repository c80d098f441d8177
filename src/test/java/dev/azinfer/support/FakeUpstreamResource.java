package dev.azinfer.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/** Starts the fake upstream before the service and points the test deployments at it. */
public class FakeUpstreamResource implements QuarkusTestResourceLifecycleManager {

    private static FakeUpstream upstream;

    public static FakeUpstream upstream() {
        return upstream;
    }

    @Override
    public Map<String, String> start() {
        upstream = new FakeUpstream();
        String base = "http://127.0.0.1:" + upstream.port();
        Map<String, String> config = new HashMap<>();
        config.put("azinfer.deployments.gpt-fake.url", base + "/v1");
        config.put("azinfer.deployments.no-tools.url", base + "/v1");
        config.put("azinfer.deployments.slow.url", base + "/v1");
        config.put("azinfer.deployments.azure-oai.url", base + "/aoai");
        config.put("azinfer.deployments.azure-ai.url", base + "/aai/models");
        return config;
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }
}
