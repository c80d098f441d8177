package dev.azinfer.management;

import dev.azinfer.api.ApiException;
import dev.azinfer.api.ApiVersions;

/** The management API's {@code api-version}: ARM's, 2023-05-01 or later, as Azure documentation commands send it. */
public final class ManagementApiVersions {

    static final String OLDEST = "2023-05-01";

    private ManagementApiVersions() {}

    public static void require(String apiVersion) {
        if (apiVersion == null || apiVersion.isBlank()) {
            throw ApiException.badRequest(
                    "missing_api_version",
                    "The query parameter 'api-version' is required, e.g. api-version=" + OLDEST + ".",
                    "api-version");
        }
        if (!ApiVersions.isWellFormed(apiVersion) || apiVersion.substring(0, 10).compareTo(OLDEST) < 0) {
            throw ApiException.badRequest(
                    "unsupported_api_version",
                    "The api-version '" + apiVersion + "' is not supported by the management API; use " + OLDEST
                            + " or later.",
                    "api-version");
        }
    }
}
