package dev.keel.twophase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.postgres.SqlFailure;
import dev.keel.twophase.DecisionLog.Decision;
import dev.keel.twophase.DecisionLog.Entry;

/**
 * One recovery pass: finds every prepared transaction of this coordinator in every participant
 * ({@code pg_prepared_xacts} is the truth about what is left, not the log) and finishes it the way
 * the decision log says; one with no decision is aborted once it has waited longer than the
 * presumed-abort delay, by logging an abort that a late commit decision would lose to. Decisions
 * whose transaction no participant holds any more are marked finished, and old finished ones
 * deleted. Every action is idempotent, so a pass can be cut short anywhere and run again.
 */
final class Recovery {

    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private record Found(Gid gid, boolean oldEnough) {
    }

    private final Core core;
    private final Set<String> unreachableBefore = new HashSet<>();

    Recovery(Core core) {
        this.core = core;
    }

    synchronized RecoveryReport pass() {
        String coordinator = core.coordinator();
        Map<UUID, Entry> decisions;
        try {
            decisions = new LinkedHashMap<>(core.log().unfinished(coordinator));
        } catch (SQLException e) {
            throw SqlFailure.translate("reading the two-phase decision log of coordinator '" + coordinator + "'", e);
        }

        Map<String, Connection> connections = new LinkedHashMap<>();
        Map<String, List<Found>> found = new LinkedHashMap<>();
        List<String> unreachable = new ArrayList<>();
        try {
            for (Participant participant : core.participants().all()) {
                try {
                    Connection connection = connect(participant);
                    connections.put(participant.name(), connection);
                    found.put(participant.name(), scan(connection));
                } catch (SQLException e) {
                    unreachable.add(participant.name());
                    core.metrics().unreachable(participant.name());
                    if (unreachableBefore.add(participant.name())) {
                        log.warn("two-phase recovery of '{}': participant '{}' is unreachable ({}); trying again every {}",
                                coordinator, participant.name(), Enlistment.firstLine(e.getMessage()), core.settings().recoveryInterval());
                    }
                }
            }
            for (String name : found.keySet()) {
                if (unreachableBefore.remove(name)) {
                    log.info("two-phase recovery of '{}': participant '{}' is reachable again", coordinator, name);
                }
            }
            return finish(decisions, connections, found, unreachable);
        } finally {
            connections.values().forEach(Recovery::closeQuietly);
        }
    }

    private RecoveryReport finish(Map<UUID, Entry> decisions, Map<String, Connection> connections, Map<String, List<Found>> found,
                                  List<String> unreachable) {
        String coordinator = core.coordinator();
        Set<UUID> missing = new LinkedHashSet<>();
        found.values().forEach(list -> list.forEach(f -> {
            if (!decisions.containsKey(f.gid().transaction().value())) {
                missing.add(f.gid().transaction().value());
            }
        }));
        try {
            decisions.putAll(core.log().find(coordinator, missing));
        } catch (SQLException e) {
            throw SqlFailure.translate("reading the two-phase decision log of coordinator '" + coordinator + "'", e);
        }

        int committed = 0;
        int rolledBack = 0;
        Set<UUID> stillPrepared = new HashSet<>();
        Set<UUID> unfinished = new HashSet<>();
        for (Map.Entry<String, List<Found>> participant : found.entrySet()) {
            Connection connection = connections.get(participant.getKey());
            for (Found prepared : participant.getValue()) {
                TransactionId transaction = prepared.gid().transaction();
                UUID id = transaction.value();
                if (core.inFlight().contains(id)) {
                    // this coordinator is running it right now
                    stillPrepared.add(id);
                    continue;
                }
                Entry decision = decisions.get(id);
                if (decision == null) {
                    if (!prepared.oldEnough()) {
                        stillPrepared.add(id);
                        unfinished.add(id);
                        continue;
                    }
                    try {
                        Decision standing = core.log().decide(transaction, Decision.ABORT, List.of(prepared.gid().participant()));
                        decision = new Entry(id, standing, List.of(prepared.gid().participant()), false);
                        decisions.put(id, decision);
                        if (standing == Decision.ABORT) {
                            log.info("two-phase recovery of '{}': {} was prepared with no decision for over {}; aborting it",
                                    coordinator, transaction, core.settings().presumeAbortAfter());
                        }
                    } catch (SQLException e) {
                        throw SqlFailure.translate("logging the abort of two-phase transaction " + transaction, e);
                    }
                }
                boolean commit = decision.decision() == Decision.COMMIT;
                try {
                    Enlistment.finishPrepared(connection, prepared.gid().text(), commit);
                    if (commit) {
                        committed++;
                        core.metrics().recoveredCommit();
                    } else {
                        rolledBack++;
                        core.metrics().recoveredRollback();
                    }
                    log.info("two-phase recovery of '{}': {} {} on participant '{}'", coordinator, commit ? "committed" : "rolled back",
                            transaction, participant.getKey());
                } catch (SQLException e) {
                    if (!Enlistment.isUnknownGid(e)) {
                        // someone else (the coordinator, a DBA) may have finished it meanwhile; otherwise next pass
                        stillPrepared.add(id);
                        unfinished.add(id);
                        log.warn("two-phase recovery of '{}': could not {} {} on participant '{}': {}", coordinator,
                                commit ? "commit" : "roll back", transaction, participant.getKey(), Enlistment.firstLine(e.getMessage()));
                    }
                }
            }
        }

        Set<String> unknown = new LinkedHashSet<>();
        List<UUID> finished = new ArrayList<>();
        for (Entry decision : decisions.values()) {
            if (decision.finished() || core.inFlight().contains(decision.transaction()) || stillPrepared.contains(decision.transaction())) {
                continue;
            }
            // every branch of a commit prepared before the decision, so only they can hold it; an abort
            // may have been logged before all branches prepared, so every participant is asked
            Set<String> relevant = new LinkedHashSet<>(decision.participants());
            if (decision.decision() == Decision.ABORT) {
                core.participants().all().forEach(p -> relevant.add(p.name()));
            }
            boolean known = true;
            for (String name : relevant) {
                if (!core.participants().isRegistered(name)) {
                    unknown.add(name);
                    known = false;
                }
            }
            if (known && relevant.stream().noneMatch(unreachable::contains)) {
                finished.add(decision.transaction());
            } else {
                unfinished.add(decision.transaction());
            }
        }
        int markedFinished;
        try {
            markedFinished = core.log().markFinished(coordinator, finished);
            core.log().prune(coordinator, core.settings().decisionRetention());
        } catch (SQLException e) {
            throw SqlFailure.translate("marking two-phase decisions of coordinator '" + coordinator + "' finished", e);
        }
        if (!unknown.isEmpty()) {
            log.warn("two-phase recovery of '{}': decisions name participants {} that are not registered; register them so"
                    + " that their prepared transactions can be finished", coordinator, unknown);
        }
        core.metrics().inDoubt(unfinished.size());
        return new RecoveryReport(committed, rolledBack, markedFinished, unfinished.size(), unreachable, List.copyOf(unknown));
    }

    private Connection connect(Participant participant) throws SQLException {
        Connection connection = participant.dataSource().getConnection();
        try {
            connection.setNetworkTimeout(Runnable::run, core.settings().networkTimeoutMillis());
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** This coordinator's prepared transactions in the participant's database. */
    private List<Found> scan(Connection connection) throws SQLException {
        List<Found> prepared = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT gid, now() - prepared >= make_interval(secs => ?)"
                + " FROM pg_prepared_xacts WHERE database = current_database() AND starts_with(gid, ?)")) {
            select.setDouble(1, core.settings().presumeAbortAfter().toMillis() / 1000.0);
            select.setString(2, Gid.prefixOf(core.coordinator()));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String text = rows.getString(1);
                    boolean oldEnough = rows.getBoolean(2);
                    Gid.parse(text).ifPresentOrElse(gid -> prepared.add(new Found(gid, oldEnough)),
                            () -> log.warn("two-phase recovery: ignoring prepared transaction '{}', which is not one of Keel's", text));
                }
            }
        }
        return prepared;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException | RuntimeException ignored) {
            // broken: the pool discards it
        }
    }
}
