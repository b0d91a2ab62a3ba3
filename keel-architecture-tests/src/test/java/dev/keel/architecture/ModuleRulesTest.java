package dev.keel.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The module rules of docs/architecture.md as executable checks over the production classes of every
 * module. Dependencies point inward: core knows nothing of the rest; the library knows nothing of the
 * test kit, the benchmarks or the Shop.
 */
@AnalyzeClasses(packages = "dev.keel", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleRulesTest {

    @ArchTest
    static final ArchRule core_depends_on_the_jdk_jackson_and_jspecify_only = noClasses()
            .that().resideInAPackage("dev.keel.core..")
            .should().dependOnClassesThat().resideOutsideOfPackages(
                    "dev.keel.core..", "java..", "javax..", "com.fasterxml.jackson..", "org.jspecify..")
            .because("keel-core is the innermost module: JDK and Jackson only (DESIGN.md section 2)");

    @ArchTest
    static final ArchRule the_library_does_not_depend_on_the_test_kit_benchmarks_or_shop = noClasses()
            .that().resideInAPackage("dev.keel..")
            .and().resideOutsideOfPackages("dev.keel.test..", "dev.keel.bench..", "dev.keel.shop..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.keel.test..", "dev.keel.bench..", "dev.keel.shop..")
            .because("the test kit, the benchmarks and the Shop are built on the library, never the other way round");

    @ArchTest
    static final ArchRule the_shop_does_not_depend_on_the_benchmarks = noClasses()
            .that().resideInAPackage("dev.keel.shop..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.keel.bench..", "dev.keel.test..")
            .because("the Shop is production code");

    @ArchTest
    static final ArchRule embedded_servers_depend_on_no_other_keel_module = classes()
            .that().resideInAPackage("dev.keel.embedded..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.keel.embedded..", "java..", "javax..",
                    "org.jspecify..", "org.slf4j..", "org.postgresql..", "io.zonky..", "org.apache.kafka..", "kafka..",
                    "scala..")
            .because("keel-embedded only runs servers; tests and the launcher both use it");

    @ArchTest
    static final ArchRule postgres_plumbing_depends_only_on_core = classes()
            .that().resideInAPackage("dev.keel.postgres..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.keel.postgres..", "dev.keel.core..",
                    "java..", "javax..", "org.jspecify..", "org.slf4j..", "org.postgresql..", "org.flywaydb..")
            .because("keel-postgres sits under every PostgreSQL-backed module (ADR 0002)");

    @ArchTest
    static final ArchRule messaging_depends_on_core_postgres_kafka_clients_and_micrometer_only = classes()
            .that().resideInAPackage("dev.keel.messaging..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.keel.messaging..", "dev.keel.core..", "dev.keel.postgres..",
                    "java..", "javax..", "org.jspecify..", "org.slf4j..", "org.apache.kafka..", "io.micrometer..",
                    "com.fasterxml.jackson..")
            .because("keel-messaging sits on core and the PostgreSQL plumbing, and knows nothing of the event store (DESIGN.md section 2)");

    @ArchTest
    static final ArchRule the_transport_spi_and_the_inbox_know_no_adapter = noClasses()
            .that().resideInAPackage("dev.keel.messaging").or().resideInAnyPackage("dev.keel.messaging.spi..", "dev.keel.messaging.inbox..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.keel.messaging.kafka..", "dev.keel.messaging.memory..", "org.apache.kafka..")
            .because("the API and the SPI are separate from the adapters that implement them; the inbox runs on any transport");

    @ArchTest
    static final ArchRule outbox_depends_on_messaging_postgres_and_core_only = classes()
            .that().resideInAPackage("dev.keel.outbox..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.keel.outbox..", "dev.keel.messaging", "dev.keel.messaging.spi..",
                    "dev.keel.postgres..", "dev.keel.core..", "java..", "javax..", "org.jspecify..", "org.slf4j..",
                    "io.micrometer..", "com.fasterxml.jackson..")
            .because("the outbox publishes through the transport SPI, whatever the broker, and knows nothing of the event store's code");

    @ArchTest
    static final ArchRule top_level_packages_are_free_of_cycles = slices()
            .matching("dev.keel.(*)..")
            .should().beFreeOfCycles();
}
