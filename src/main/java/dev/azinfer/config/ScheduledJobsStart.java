package dev.azinfer.config;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Starts the scheduled jobs (the store's refresh, the spending limit's, the sweeps) once every
 * start-up observer has run: the scheduler starts halted ({@code quarkus.scheduler.start-mode}).
 * Started with the scheduler, a job ran while the deployment registry was still being made: it
 * made it a second time on a worker thread, and when the start was refused (a bad setting) it
 * failed too and logged an error of its own beside the refusal.
 */
@ApplicationScoped
class ScheduledJobsStart {

    /** The last start-up observer: a start refused before it starts no job. */
    void resume(@Observes @Priority(Integer.MAX_VALUE) StartupEvent started, Scheduler scheduler) {
        scheduler.resume();
    }
}
