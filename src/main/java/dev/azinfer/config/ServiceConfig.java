package dev.azinfer.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one configuration root of the service (prefix {@code azinfer}). Its values are checked by
 * the beans that use them at start, not by {@code jakarta.validation} constraints here: a single
 * constrained setting makes Quarkus start Hibernate Validator for the configuration before anything
 * else, some 0.6 s of every start on two cores.
 */
@ConfigMapping(prefix = "azinfer")
public interface ServiceConfig {

    /**
     * Inference API keys. Any of them is accepted, so a key can be rotated by adding the new one
     * before removing the old. When none is configured a random key is generated at first start
     * and stored in {@code data-dir}/api-key.
     */
    Optional<List<String>> apiKeys();

    /**
     * Keys of the management API (deployments, model catalog), distinct from the inference keys: an
     * inference key is refused there with 403. When none is configured one is generated at first
     * start into {@code data-dir}/admin-key.
     */
    Optional<List<String>> adminKeys();

    /** Folder for state made at run time: the generated key, the self-signed certificate, downloaded models. */
    @WithDefault("data")
    Path dataDir();

    /** Largest accepted request body, in bytes; a larger one is answered 413. */
    @WithDefault("4194304")
    long maxBodyBytes();

    /** Most custom ({@code x-}) request headers a request may carry; more is 431. */
    @WithDefault("10")
    int maxCustomHeaders();

    /**
     * Deployment that answers requests naming none. Without it, a request naming no deployment is
     * answered by the only deployment if there is exactly one, else 400 {@code no_model_name}.
     */
    Optional<String> defaultDeployment();

    /** The deployments, by name. The name is what clients send as {@code model}. */
    Map<String, DeploymentConfig> deployments();

    /** The model catalog, by model name: the models and versions deployments can be made of. */
    Map<String, CatalogModelConfig> catalog();

    /** Where deployments, their history and routing are kept. */
    Store store();

    /** The Azure resource the management API presents its deployments under (their ARM ids). */
    Arm arm();

    /** The per-deployment limits derived from capacity. */
    Limits limits();

    /** Prices, spending limit and billing cycle. */
    Billing billing();

    interface Limits {
        /**
         * Redis shared by the replicas for the limit counters, e.g. {@code redis://127.0.0.1:6379}, so
         * that N replicas together admit no more than the limit. Without it each replica counts alone:
         * right for one replica.
         */
        Optional<String> redisUrl();

        /** Completion tokens assumed, for the estimate made before the call, when a request sets no max_tokens. */
        @WithDefault("1024")
        int defaultCompletionTokens();
    }

    interface Billing {
        /** The currency prices and the spending limit are in. */
        @WithDefault("USD")
        String currency();

        /**
         * The spending limit per billing cycle, 0 or more, until an operator sets one through the API;
         * absent means none.
         */
        Optional<BigDecimal> spendingLimit();

        /** The day of the month (1 to 28, UTC) a billing cycle starts. */
        @WithDefault("1")
        int cycleStartDay();
    }

    interface Store {
        /**
         * How often each replica looks for changes other replicas made to the shared store. Changes
         * made through this replica apply at once.
         */
        @WithDefault("2s")
        java.time.Duration refreshInterval();

        /** How long a deployment's new model may take to become ready during an in-place migration; past it, Failed. */
        @WithDefault("120s")
        java.time.Duration switchTimeout();

        /** How often the version upgrade policies are applied. */
        @WithDefault("10m")
        java.time.Duration upgradeCheckInterval();

        /**
         * How often usage records move from the journal in the data folder into the database (where
         * {@code /usage} and the other replicas see them); the journal is flushed to disk as often.
         */
        @WithDefault("1s")
        java.time.Duration ledgerInterval();

        /**
         * Folder of the usage journal (default {@code data-dir}/ledger). It belongs with the database
         * it feeds: records a stopped process left there are moved into whichever database the next
         * process uses.
         */
        Optional<Path> ledgerDir();

        /** Size at which the usage journal starts a new file; moved files are deleted. */
        @WithDefault("16777216")
        long ledgerSegmentBytes();
    }

    interface Arm {
        /** The subscription id in deployment ids when they are addressed by the short path {@code /deployments/...}. */
        @WithDefault("00000000-0000-0000-0000-000000000000")
        String subscriptionId();

        /** The resource group in those ids. */
        @WithDefault("azinfer")
        String resourceGroup();

        /** The account (Azure AI resource) name in those ids. */
        @WithDefault("azinfer")
        String account();
    }

    /** Calls allowed per API key (a connector connection) and period, as Power Platform connectors are throttled. */
    Throttle throttle();

    interface Throttle {
        /** Calls one key may make per period; past it 429 with Retry-After. */
        @WithDefault("100")
        int calls();

        /** Length of the throttling window. */
        @WithDefault("60s")
        java.time.Duration period();
    }

    /** How the service's JVM holds memory. */
    Memory memory();

    interface Memory {
        /**
         * Whether the service asks its JVM (G1) to collect when idle and give back free heap beyond
         * 30%, so memory grown under a load returns once the load ends. Settings given to the JVM at
         * launch ({@code -XX:G1PeriodicGCInterval}, {@code -XX:MinHeapFreeRatio},
         * {@code -XX:MaxHeapFreeRatio}) are kept.
         */
        @WithDefault("true")
        boolean returnWhenIdle();
    }
}
