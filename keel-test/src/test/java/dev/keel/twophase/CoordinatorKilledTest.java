package dev.keel.twophase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The coordinator runs in a child JVM that is killed with SIGKILL at each point of the protocol,
 * including in the middle of the work; a coordinator with the same id then recovers in this JVM.
 */
@WithInfrastructure
class CoordinatorKilledTest {

    private static Warehouses warehouses;

    @BeforeAll
    static void setUp(TestDatabase db) {
        warehouses = Warehouses.create(db);
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void a_coordinator_killed_at_any_point_leaves_nothing_half_applied_or_prepared_after_recovery(CrashPoint point) throws Exception {
        String id = "killed-" + point.ordinal();
        String sku = "killed-" + point.ordinal();
        warehouses.stock(sku, 10, 0);

        runAndKill(id, sku, point);
        assertThat(preparedOf(id)).as("prepared when killed").hasSize(point.preparedAtCrash);

        try (TwoPhaseCoordinator restarted = warehouses.coordinator(id).presumeAbortAfter(Duration.ZERO).build()) {
            RecoveryReport report = restarted.recover();
            assertThat(report.isClean()).as(report.toString()).isTrue();
            assertThat(report.committed() + report.rolledBack()).isEqualTo(point.preparedAtCrash);
        }
        assertThat(List.of(warehouses.inA(sku), warehouses.inB(sku)))
                .as("all or nothing")
                .isEqualTo(point.commits ? List.of(6, 4) : List.of(10, 0));
        assertThat(preparedOf(id)).isEmpty();
        assertThat(warehouses.unfinishedDecisions(id)).isZero();
    }

    private static void runAndKill(String id, String sku, CrashPoint point) throws Exception {
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"),
                CoordinatorProcess.class.getName(),
                warehouses.log.jdbcUrl(), warehouses.a.jdbcUrl(), warehouses.b.jdbcUrl(), id, point.name(), sku)
                .redirectErrorStream(true)
                .start();
        List<String> output = new ArrayList<>();
        try {
            boolean halted = CompletableFuture.supplyAsync(() -> readUntilHalted(child, output)).get(60, TimeUnit.SECONDS);
            assertThat(halted).as("the child reached %s; its output: %s", point, output).isTrue();
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static boolean readUntilHalted(Process child, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.equals(CoordinatorProcess.HALTED)) {
                    return true;
                }
                synchronized (output) {
                    output.add(line);
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static List<String> preparedOf(String coordinator) {
        return warehouses.prepared().stream().filter(gid -> gid.startsWith("keel2pc:" + coordinator + ":")).toList();
    }
}
