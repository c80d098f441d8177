package dev.azinfer.management;

import dev.azinfer.api.ApiException;
import dev.azinfer.deployments.DeploymentSpec;
import java.util.Optional;

/** {@code If-Match} and {@code If-None-Match} on a deployment, compared with its etag (quoted or not). */
record Preconditions(String ifMatch, String ifNoneMatch) {

    static final Preconditions NONE = new Preconditions(null, null);

    void check(Optional<DeploymentSpec> current, String name) {
        if (ifMatch != null && !ifMatch.isBlank()) {
            boolean any = ifMatch.trim().equals("*");
            if (current.isEmpty() || (!any && !matches(ifMatch, current.get().etag()))) {
                throw failed(
                        current.isEmpty()
                                ? "The deployment '" + name + "' does not exist, so If-Match cannot match."
                                : "The deployment '" + name + "' has changed: its etag is "
                                        + quoted(current.get().etag()) + ", not " + ifMatch.trim()
                                        + ". GET it again and retry with the new etag.");
            }
        }
        if (ifNoneMatch != null && !ifNoneMatch.isBlank() && current.isPresent()) {
            boolean any = ifNoneMatch.trim().equals("*");
            if (any || matches(ifNoneMatch, current.get().etag())) {
                throw failed(
                        "The deployment '" + name + "' already exists (If-None-Match: " + ifNoneMatch.trim() + ").");
            }
        }
    }

    static String quoted(String etag) {
        return "\"" + etag + "\"";
    }

    private static boolean matches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"")) {
                c = c.substring(1, c.length() - 1);
            }
            if (c.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static ApiException failed(String message) {
        return new ApiException(412, "PreconditionFailed", message, null, null);
    }
}
