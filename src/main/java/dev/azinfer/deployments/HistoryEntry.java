package dev.azinfer.deployments;

import java.time.Instant;

/** One thing that happened to a deployment: created, updated, upgraded, its traffic moved, deleted. */
public record HistoryEntry(Instant at, String event, String actor, String detail) {}
