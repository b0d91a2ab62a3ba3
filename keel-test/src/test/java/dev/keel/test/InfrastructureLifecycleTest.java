package dev.keel.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.keel.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs small test classes through a separate JUnit engine run, as a build would, to show the
 * extension's lifecycle: tests of a class share its database, the database is dropped after the
 * class, and the servers are shut down when the run ends.
 */
class InfrastructureLifecycleTest {

    static final List<String> databases = new CopyOnWriteArrayList<>();
    static final List<EmbeddedPostgres> servers = new CopyOnWriteArrayList<>();
    static final List<Boolean> earlierDatabaseExisted = new CopyOnWriteArrayList<>();

    @WithInfrastructure
    static class UsesADatabase {
        @Test
        void first(TestDatabase db) {
            databases.add(db.name());
            servers.add(db.server());
        }

        @Test
        void second(TestDatabase db) {
            databases.add(db.name());
        }
    }

    @WithInfrastructure
    static class RunsAfterIt {
        @Test
        void looks_for_the_earlier_database(TestDatabase db) {
            earlierDatabaseExisted.add(db.server().databaseExists(databases.get(0)));
            databases.add(db.name());
        }
    }

    @Test
    void a_class_shares_one_database_which_is_dropped_after_it_and_the_servers_stop_at_the_end() {
        databases.clear();
        servers.clear();
        earlierDatabaseExisted.clear();

        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(UsesADatabase.class), selectClass(RunsAfterIt.class))
                .execute()
                .testEvents().assertStatistics(stats -> stats.succeeded(3));

        assertThat(databases.subList(0, 2)).containsOnly(databases.get(0));
        assertThat(databases.get(2)).isNotEqualTo(databases.get(0));
        assertThat(earlierDatabaseExisted).containsExactly(false);
        assertThatThrownBy(() -> servers.get(0).superuserDataSource("postgres").getConnection().close())
                .isInstanceOf(SQLException.class);
    }
}
