package dev.keel.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server outlives the JVM that started it when that JVM is killed (it is a separate
 * process). Before a persistent data directory is used again, such a server must be stopped, or the
 * new one cannot start. PostgreSQL recovers from its WAL at the next start, so nothing committed is lost.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private StalePostmaster() {
    }

    static Optional<Long> pid(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void stopIfRunning(Path dataDirectory) {
        Optional<Long> pid = pid(dataDirectory);
        if (pid.isEmpty()) {
            return;
        }
        ProcessHandle process = ProcessHandle.of(pid.get()).orElse(null);
        if (process == null) {
            return;
        }
        String command = process.info().command().orElse("");
        if (!command.endsWith("postgres")) {
            // the pid was reused by an unrelated process: the pid file is merely stale
            return;
        }
        log.warn("PostgreSQL (pid {}) left running on {} by an earlier process; stopping it", pid.get(), dataDirectory);
        process.destroy();
        try {
            process.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("PostgreSQL pid " + pid.get() + " on " + dataDirectory
                    + " did not stop within " + STOP_TIMEOUT + "; stop it by hand", e);
        }
    }
}
