package dev.keel.twophase;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The participants of one coordinator, and what was learnt about each the first time it was reached:
 * that it can prepare transactions at all, and which database it is (so that one database registered
 * under two names is caught before it deadlocks with itself).
 */
final class ParticipantRegistry {

    private static final Logger log = LoggerFactory.getLogger(ParticipantRegistry.class);

    /** Where a participant's connections lead. */
    record Identity(String host, int port, String database) {
        @Override
        public String toString() {
            return "database " + database + " at " + host + ":" + port;
        }
    }

    private final String coordinator;
    private final Map<String, Participant> byName;
    private final List<Participant> ordered;
    private final Map<String, Identity> verified = new ConcurrentHashMap<>();

    ParticipantRegistry(String coordinator, Collection<Participant> participants) {
        this.coordinator = coordinator;
        Map<String, Participant> names = new LinkedHashMap<>();
        for (Participant participant : participants) {
            Objects.requireNonNull(participant, "participant");
            if (names.containsKey(participant.name())) {
                throw TwoPhaseMisuse.duplicateName(participant.name());
            }
            for (Participant other : names.values()) {
                if (other.dataSource() == participant.dataSource()) {
                    throw TwoPhaseMisuse.sameDataSource(other.name(), participant.name());
                }
            }
            names.put(participant.name(), participant);
        }
        this.byName = Map.copyOf(names);
        this.ordered = List.copyOf(names.values());
    }

    List<Participant> all() {
        return ordered;
    }

    boolean isRegistered(String name) {
        return byName.containsKey(name);
    }

    /** The registered participant, or a misuse error naming what to do. */
    Participant require(Participant participant) {
        Participant registered = byName.get(participant.name());
        if (registered == null || !registered.equals(participant)) {
            throw TwoPhaseMisuse.unknownParticipant(participant.name(), coordinator);
        }
        return registered;
    }

    /**
     * Checks every participant that can be reached now; one that cannot is checked when first used.
     * Throws if a participant cannot prepare transactions.
     */
    void verifyReachable() {
        for (Participant participant : ordered) {
            try (Connection connection = participant.dataSource().getConnection()) {
                verify(participant, connection);
            } catch (SQLException e) {
                log.warn("two-phase coordinator '{}': participant '{}' is not reachable now ({}); it is checked when first used",
                        coordinator, participant.name(), e.getMessage());
            }
        }
    }

    /** Checks a participant on a connection of its own, unless it was checked before. */
    void verify(Participant participant, Connection connection) throws SQLException {
        if (verified.containsKey(participant.name())) {
            return;
        }
        int maxPrepared;
        Identity identity;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('max_prepared_transactions')::int, current_database(),"
                     + " coalesce(host(inet_server_addr()), 'local socket'), coalesce(inet_server_port(), 0)")) {
            row.next();
            maxPrepared = row.getInt(1);
            identity = new Identity(row.getString(3), row.getInt(4), row.getString(2));
        }
        if (maxPrepared == 0) {
            throw TwoPhaseMisuse.preparedTransactionsDisabled(participant.name(), identity.toString());
        }
        synchronized (verified) {
            List<Map.Entry<String, Identity>> others = new ArrayList<>(verified.entrySet());
            for (Map.Entry<String, Identity> other : others) {
                if (other.getValue().equals(identity) && !other.getKey().equals(participant.name())) {
                    throw TwoPhaseMisuse.sameDatabase(other.getKey(), participant.name(), identity.toString());
                }
            }
            verified.put(participant.name(), identity);
        }
    }
}
