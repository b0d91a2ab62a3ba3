package dev.keel.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.keel.shop.customer.Customer;
import dev.keel.shop.product.Product;

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
    static final ArchRule service_contracts_depend_on_keel_core_only = classes()
            .that().resideInAPackage("dev.keel.shop.*.api..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.keel.shop.*.api..", "dev.keel.core..", "java..",
                    "org.jspecify..")
            .because("a service's -api module is its published contract: events, commands, DTOs (DESIGN.md section 2)");

    @ArchTest
    static final ArchRule a_service_contract_does_not_depend_on_another_services_contract = slices()
            .matching("dev.keel.shop.(*).api..")
            .should().notDependOnEachOther()
            .because("each contract stands alone; services combine them");

    @ArchTest
    static final ArchRule composition_depends_only_on_core_resilience4j_and_micrometer = classes()
            .that().resideInAPackage("dev.keel.composition..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.keel.composition..", "dev.keel.core..",
                    "java..", "javax..", "org.jspecify..", "org.slf4j..", "io.github.resilience4j..", "io.micrometer..")
            .because("keel-composition is HTTP fan-out over the JDK client: no database, no broker, no framework "
                    + "(DESIGN.md section 2); JSON goes through keel-core's JsonCodec");

    @ArchTest
    static final ArchRule two_phase_commit_depends_only_on_core_postgres_plumbing_pgjdbc_and_micrometer = classes()
            .that().resideInAPackage("dev.keel.twophase..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.keel.twophase..", "dev.keel.core..", "dev.keel.postgres..",
                    "java..", "javax..", "org.postgresql..", "io.micrometer..", "org.slf4j..", "org.jspecify..")
            .because("keel-twophase coordinates PostgreSQL prepared transactions and nothing else (DESIGN.md section 2)");

    @ArchTest
    static final ArchRule the_gateway_reaches_other_services_only_through_their_contracts = noClasses()
            .that().resideInAPackage("dev.keel.shop.gateway..")
            .should().dependOnClassesThat(resideInAPackage("dev.keel.shop..")
                    .and(not(resideInAnyPackage("dev.keel.shop.gateway..", "dev.keel.shop.platform..", "dev.keel.shop.*.api.."))))
            .because("the gateway talks to services over HTTP: it may use keel modules, shop/platform and the services' "
                    + "-api contracts, never a service's implementation or the launcher (DESIGN.md section 2)");

    @ArchTest
    static final ArchRule a_service_reaches_another_service_only_through_its_contract = slices()
            .matching("dev.keel.shop.(*)..")
            .should().notDependOnEachOther()
            .ignoreDependency(alwaysTrue(), resideInAnyPackage("dev.keel.shop.*.api..", "dev.keel.shop.platform.."))
            .because("a Shop service may use keel modules, shop/platform and other services' -api contracts, never another "
                    + "service's implementation or the launcher; the launcher finds services through ServiceLoader (DESIGN.md section 2)");

    @ArchTest
    static final ArchRule the_decisions_of_customer_and_product_are_pure = classes()
            .that(belongToAnyOf(Customer.class, Product.class))
            .should().onlyDependOnClassesThat(resideInAnyPackage("java.lang..", "java.math..", "java.time..", "java.util..",
                    "dev.keel.core..", "dev.keel.shop.*.api..").or(belongToAnyOf(Customer.class, Product.class)))
            .because("a service's state and decisions take a request and return the new state and its event; the slices do "
                    + "the I/O (STYLE.md habit 2)");

    @ArchTest
    static final ArchRule the_event_store_depends_only_on_core_postgres_and_its_libraries = classes()
            .that().resideInAPackage("dev.keel.eventstore..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.keel.eventstore..", "dev.keel.core..",
                    "dev.keel.postgres..", "java..", "javax..", "com.fasterxml.jackson..", "org.postgresql..",
                    "io.micrometer..", "org.slf4j..", "org.jspecify..")
            .because("keel-eventstore builds on keel-core and keel-postgres only (DESIGN.md section 2)");

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
