package dev.keel.twophase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** What can be checked without a database: names, durations, duplicates, the values handed back. */
class ConfigurationTest {

    private final DataSource nowhere = new PGSimpleDataSource();

    @Test
    void timeouts_must_be_positive_whole_milliseconds() {
        TwoPhaseCoordinator.Builder builder = TwoPhaseCoordinator.builder("shop-1", nowhere);

        assertThatThrownBy(() -> builder.voteTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vote timeout must be between 1 ms");
        assertThatThrownBy(() -> builder.statementTimeout(Duration.ofNanos(500))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.lockTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.presumeAbortAfter(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.recoveryInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_coordinator_id_and_the_log_schema_are_checked() {
        assertThatThrownBy(() -> TwoPhaseCoordinator.builder("Shop 1", nowhere)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("coordinator id must be");
        assertThatThrownBy(() -> TwoPhaseCoordinator.builder("shop-1", nowhere).schema("keel; DROP")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void participants_with_one_name_or_one_data_source_are_refused() {
        DataSource other = new PGSimpleDataSource();

        assertThatThrownBy(() -> new ParticipantRegistry("shop-1", List.of(Participant.of("a", nowhere), Participant.of("a", other))))
                .isInstanceOfSatisfying(TwoPhaseMisuse.class, e -> assertThat(e.kind()).isEqualTo(TwoPhaseMisuse.Kind.DUPLICATE_PARTICIPANT));
        assertThatThrownBy(() -> new ParticipantRegistry("shop-1", List.of(Participant.of("a", nowhere), Participant.of("b", nowhere))))
                .isInstanceOfSatisfying(TwoPhaseMisuse.class, e -> assertThat(e.participant()).contains("b"));
    }

    @Test
    void a_participant_is_its_name_its_data_source_and_its_isolation() {
        Participant plain = Participant.of("warehouse_a", nowhere);

        assertThat(plain.isolation()).isEqualTo(Participant.Isolation.READ_COMMITTED);
        assertThat(plain.withIsolation(Participant.Isolation.SERIALIZABLE)).isNotEqualTo(plain);
        assertThat(plain.withIsolation(Participant.Isolation.READ_COMMITTED)).isEqualTo(plain);
        assertThatThrownBy(() -> Participant.of("warehouse:a", nowhere)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outcomes_say_whether_they_committed_and_why_they_did_not() {
        TransactionId id = new TransactionId("shop-1", UUID.randomUUID());

        assertThat(new Outcome.Committed(id, List.of("a", "b"), List.of()).isComplete()).isTrue();
        assertThat(new Outcome.Committed(id, List.of("a", "b"), List.of("b")).isComplete()).isFalse();
        assertThat(new Outcome.RolledBack(id, List.of("a"), new RollbackReason.AbortedByRecovery()).isCommitted()).isFalse();
        assertThat(new RollbackReason.VoteFailed("b", "23505", "duplicate key").description())
                .isEqualTo("participant 'b' could not prepare: duplicate key [23505]");
        assertThat(new RollbackReason.VoteTimedOut(List.of("b"), Duration.ofMillis(500)).description())
                .isEqualTo("no vote within 500 ms from b");
    }

    @Test
    void a_recovery_report_is_clean_when_nothing_is_left_for_later() {
        assertThat(new RecoveryReport(2, 1, 3, 0, List.of(), List.of()).isClean()).isTrue();
        assertThat(new RecoveryReport(0, 0, 0, 1, List.of(), List.of()).isClean()).isFalse();
        assertThat(new RecoveryReport(0, 0, 0, 0, List.of("b"), List.of()).isClean()).isFalse();
    }
}
