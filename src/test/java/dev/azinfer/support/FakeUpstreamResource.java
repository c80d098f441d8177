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
        try {
            // the download test needs a data folder without the file, also when target/ is kept between runs
            java.nio.file.Files.deleteIfExists(
                    java.nio.file.Path.of("target", "test-data", "models", "downloaded-stories.gguf"));
            // the held download stands for a model that takes long to load: it must be downloaded
            java.nio.file.Files.deleteIfExists(
                    java.nio.file.Path.of("target", "test-data", "models", "held-stories.gguf"));
            // and the late-model test a deployment whose file is not there at start
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of("target", "test-data", "late-model.gguf"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String base = "http://127.0.0.1:" + upstream.port();
        Map<String, String> config = new HashMap<>();
        config.put("azinfer.deployments.gpt-fake.url", base + "/v1");
        config.put("azinfer.deployments.no-tools.url", base + "/v1");
        config.put("azinfer.deployments.slow.url", base + "/v1");
        config.put("azinfer.deployments.o-series.url", base + "/v1");
        config.put("azinfer.deployments.azure-oai.url", base + "/aoai");
        config.put("azinfer.deployments.azure-ai.url", base + "/aai/models");
        config.put("azinfer.deployments.downloaded.local.download-url", base + "/files/stories260K.gguf");
        for (String version : new String[] {"\"2024-05-13\"", "\"2024-08-06\""}) {
            config.put("azinfer.catalog.gpt-4o.versions." + version + ".url", base + "/v1");
        }
        config.put(
                "azinfer.catalog.phi-lab.versions.\"4-slow\".local.download-url",
                base + "/files/held/stories260K.gguf");
        for (String version : new String[] {"\"1\"", "\"2\""}) {
            config.put("azinfer.catalog.phi-lab.versions." + version + ".url", base + "/v1");
        }
        return config;
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }
}
