package dev.keel.twophase;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.keel.test.TestDatabase;
import dev.keel.test.WithInfrastructure;
import org.junit.jupiter.api.Test;

/** The example of keel-twophase/README.md, as it is printed there. */
@WithInfrastructure
class ReadmeExampleTest {

    @Test
    void the_readme_example_moves_stock_between_two_warehouses(TestDatabase db) {
        Warehouses warehouses = Warehouses.create(db);
        warehouses.stock("SKU-1", 10, 0);
        DataSource warehouseADataSource = warehouses.a.dataSource();
        DataSource warehouseBDataSource = warehouses.b.dataSource();
        DataSource decisionLogDataSource = db.dataSource();
        List<String> said = new ArrayList<>();

        // --- README example starts here
        Participant warehouseA = Participant.of("warehouse_a", warehouseADataSource);
        Participant warehouseB = Participant.of("warehouse_b", warehouseBDataSource);

        try (TwoPhaseCoordinator coordinator = TwoPhaseCoordinator.builder("stock-mover-1", decisionLogDataSource)
                .participant(warehouseA)
                .participant(warehouseB)
                .start()) {      // migrates the log, checks the participants, recovers in the background
            Outcome outcome = coordinator.execute(tx -> {
                tx.on(warehouseA, c -> c.createStatement().executeUpdate("UPDATE stock SET quantity = quantity - 5 WHERE sku = 'SKU-1'"));
                tx.on(warehouseB, c -> c.createStatement().executeUpdate("UPDATE stock SET quantity = quantity + 5 WHERE sku = 'SKU-1'"));
            });
            switch (outcome) {
                case Outcome.Committed committed -> said.add("moved");                     // everywhere, or recovery finishes it
                case Outcome.RolledBack rolledBack -> said.add(rolledBack.reason().description()); // nowhere
                case Outcome.InDoubt inDoubt -> said.add("ask again later");               // the log was unreachable
            }
        }
        // --- README example ends here

        assertThat(said).containsExactly("moved");
        assertThat(warehouses.inA("SKU-1")).isEqualTo(5);
        assertThat(warehouses.inB("SKU-1")).isEqualTo(5);
    }
}
