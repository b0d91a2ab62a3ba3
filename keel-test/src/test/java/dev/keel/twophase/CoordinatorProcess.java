package dev.keel.twophase;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Run in a child JVM by {@link CoordinatorKilledTest}: moves 4 of a SKU from warehouse A to B and,
 * at the crash point, says {@value #HALTED} and waits to be killed.
 *
 * <p>Arguments: decision-log URL, warehouse A URL, warehouse B URL, coordinator id, crash point, SKU.
 */
public final class CoordinatorProcess {

    static final String HALTED = "HALTED AT THE CRASH POINT";

    private CoordinatorProcess() {
    }

    public static void main(String[] args) {
        DataSource log = dataSource(args[0]);
        Participant warehouseA = Participant.of("warehouse_a", dataSource(args[1]));
        Participant warehouseB = Participant.of("warehouse_b", dataSource(args[2]));
        String coordinatorId = args[3];
        CrashPoint point = CrashPoint.valueOf(args[4]);
        String sku = args[5];

        TwoPhaseCoordinator.Builder builder = TwoPhaseCoordinator.builder(coordinatorId, log)
                .participant(warehouseA)
                .participant(warehouseB)
                .meterRegistry(new SimpleMeterRegistry())
                // halted threads must not make the coordinator give up on its own before the kill
                .voteTimeout(Duration.ofMinutes(5));
        if (point != CrashPoint.DURING_WORK) {
            builder.protocolHook(point.hook(CoordinatorProcess::haltUntilKilled));
        }
        TwoPhaseCoordinator coordinator = builder.build();
        coordinator.execute(tx -> {
            tx.on(warehouseA, connection -> Warehouses.change(connection, sku, -4));
            if (point == CrashPoint.DURING_WORK) {
                haltUntilKilled();
            }
            tx.on(warehouseB, connection -> Warehouses.change(connection, sku, 4));
        });
        System.out.println("the coordinator was never stopped at " + point);
    }

    private static void haltUntilKilled() {
        System.out.println(HALTED);
        System.out.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static DataSource dataSource(String url) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser("postgres");
        return dataSource;
    }
}
