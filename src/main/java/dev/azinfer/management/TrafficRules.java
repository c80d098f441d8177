package dev.azinfer.management;

import com.fasterxml.jackson.databind.JsonNode;
import dev.azinfer.deployments.DeploymentSpec;
import dev.azinfer.deployments.Route;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The routes of a multi-deployment migration: a deployment sends a percentage of the requests
 * naming it to others and keeps the rest. Routes go one hop only (a target routes nothing itself),
 * so every request is served by the deployment it was sent to.
 */
final class TrafficRules {

    private TrafficRules() {}

    /** Parses {@code {"routes":[{"deployment":"new","weight":30}]}}. */
    static List<Route> parse(JsonNode body) {
        JsonNode routes = body == null ? null : body.get("routes");
        if (routes == null || !routes.isArray()) {
            throw DeploymentRequest.invalid(
                    "InvalidRequestContent",
                    "The body must be {\"routes\":[{\"deployment\":\"NAME\",\"weight\":PERCENT}]}; an empty list sends all traffic back.",
                    "routes");
        }
        List<Route> out = new ArrayList<>();
        for (int i = 0; i < routes.size(); i++) {
            JsonNode r = routes.get(i);
            JsonNode target = r.get("deployment");
            JsonNode weight = r.get("weight");
            if (target == null
                    || !target.isTextual()
                    || weight == null
                    || !weight.isIntegralNumber()
                    || weight.asLong() < 0
                    || weight.asLong() > 100) {
                throw DeploymentRequest.invalid(
                        "InvalidRequestContent",
                        "routes[" + i + "] must have a deployment name and a whole-number weight from 0 to 100.",
                        "routes[" + i + "]");
            }
            out.add(new Route(target.asText(), weight.asInt()));
        }
        return out;
    }

    /** The routes to store (zero weights left out), with targets spelled as stored; 400 when they break a rule. */
    static List<Route> check(DeploymentSpec source, List<Route> routes, List<DeploymentSpec> all) {
        Set<String> seen = new HashSet<>();
        List<Route> kept = new ArrayList<>();
        int total = 0;
        for (Route r : routes) {
            DeploymentSpec target = find(all, r.deployment())
                    .orElseThrow(() -> rule("The route target '" + r.deployment() + "' does not exist."));
            if (target.key().equals(source.key())) {
                throw rule(
                        "A deployment cannot route to itself; its own share is what the routes leave (100 - their sum).");
            }
            if (!seen.add(target.key())) {
                throw rule("The deployment '" + target.name() + "' appears twice in routes.");
            }
            if (!target.routes().isEmpty()) {
                throw rule("The deployment '" + target.name() + "' routes traffic itself; routes go one hop only.");
            }
            total += r.weight();
            if (r.weight() > 0) {
                kept.add(new Route(target.name(), r.weight()));
            }
        }
        if (total > 100) {
            throw rule("The route weights add up to " + total + "%; at most 100% can be routed.");
        }
        all.stream()
                .filter(d -> d.routes().stream()
                        .anyMatch(r -> DeploymentSpec.key(r.deployment()).equals(source.key())))
                .filter(d -> !kept.isEmpty())
                .findFirst()
                .ifPresent(d -> {
                    throw rule("The deployment '" + source.name() + "' receives traffic routed from '" + d.name()
                            + "'; routes go one hop only.");
                });
        return kept;
    }

    private static Optional<DeploymentSpec> find(List<DeploymentSpec> all, String name) {
        return all.stream()
                .filter(d -> d.key().equals(DeploymentSpec.key(name)))
                .findFirst();
    }

    private static dev.azinfer.api.ApiException rule(String message) {
        return DeploymentRequest.invalid("InvalidRouting", message, "routes");
    }
}
