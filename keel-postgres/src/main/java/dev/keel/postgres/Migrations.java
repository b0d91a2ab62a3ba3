package dev.keel.postgres;

import java.util.Map;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

import dev.keel.core.NonTransientException;

/**
 * Applies one Keel module's Flyway migrations to a schema of the user's choice. Each module keeps
 * its own history table ({@code flyway_history_<module>}) in that schema, so modules evolve
 * independently even when they share a schema, and a service's own Flyway migrations never see them.
 * In the SQL, {@code ${schema}} stands for the schema. Flyway takes an advisory lock, so two
 * instances of a service starting at once migrate once.
 */
public final class Migrations {

    private Migrations() {
    }

    /**
     * Migrates, creating the schema if needed.
     *
     * @param module   short module name, e.g. {@code eventstore}
     * @param schema   target schema, e.g. {@code keel}
     * @param location classpath folder of the module's migrations, e.g. {@code db/keel/eventstore}
     * @return how many migrations ran now
     */
    public static int migrate(DataSource dataSource, String module, String schema, String location) {
        SqlNames.identifier(module, "module");
        SqlNames.identifier(schema, "schema");
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(dataSource)
                    .schemas(schema)
                    .defaultSchema(schema)
                    .createSchemas(true)
                    .table("flyway_history_" + module)
                    .locations("classpath:" + location)
                    .placeholders(Map.of("schema", schema))
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .failOnMissingLocations(true)
                    .loggers("slf4j")
                    .load()
                    .migrate();
            return result.migrationsExecuted;
        } catch (FlywayException e) {
            throw new NonTransientException("migrating " + module + " into schema " + schema + " failed: " + e.getMessage(), e);
        }
    }
}
