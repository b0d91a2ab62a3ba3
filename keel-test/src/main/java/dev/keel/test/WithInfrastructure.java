package dev.keel.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class real PostgreSQL and Kafka: declare a {@link TestDatabase} or {@link TestKafka}
 * parameter (in the constructor, a lifecycle method or a test method) and receive one.
 *
 * <pre>{@code
 * @WithInfrastructure
 * class OrderRepositoryTest {
 *     @Test
 *     void stores_an_order(TestDatabase db) throws SQLException {
 *         try (Connection connection = db.dataSource().getConnection()) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>One PostgreSQL cluster and one Kafka broker serve the whole test JVM; each is started the first
 * time a test asks for it (about two seconds each) and stopped when the JVM's tests are done. Each test
 * class gets its own database, dropped after the class, and its own topic names: classes cannot see
 * each other's data. Tests of one class share the class's database; clean up or use distinct keys.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(InfrastructureExtension.class)
public @interface WithInfrastructure {
}
