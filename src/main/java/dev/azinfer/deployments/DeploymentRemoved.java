package dev.azinfer.deployments;

/**
 * A deployment this replica no longer serves (deleted, here or on another replica): what was kept
 * per deployment (meters, limit counters) goes with it.
 */
public record DeploymentRemoved(DeploymentSpec spec) {}
