package dev.keel.messaging.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.keel.messaging.spi.MessageTransport;
import dev.keel.messaging.spi.PublisherFencedException;
import dev.keel.messaging.spi.ReceivedRecord;
import dev.keel.messaging.spi.RecordHandler;
import dev.keel.messaging.spi.TransportPublisher;
import dev.keel.messaging.spi.TransportSubscription;
import dev.keel.messaging.spi.WireRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transport in this JVM's memory with Kafka's semantics: partitioned topics (by key), consumer
 * groups that share partitions and commit after handling, fenced all-or-nothing publishing. For unit
 * tests and single-process demos; it passes the same contract suite as the Kafka transport. Nothing
 * survives the JVM.
 */
public final class InMemoryTransport implements MessageTransport {

    private static final Logger log = LoggerFactory.getLogger(InMemoryTransport.class);

    private record Stored(WireRecord record, Instant timestamp) {
    }

    private record Partition(String topic, int number) {
    }

    private final int partitions;
    private final Duration retryBackoff;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, List<List<Stored>>> topics = new HashMap<>();
    private final Map<String, Long> fencingEpochs = new HashMap<>();
    private final Map<String, Group> groups = new HashMap<>();
    private final List<Member> members = new ArrayList<>();
    private int roundRobin;
    private boolean closed;

    private InMemoryTransport(int partitions, Duration retryBackoff, Clock clock) {
        this.partitions = partitions;
        this.retryBackoff = retryBackoff;
        this.clock = clock;
    }

    /** Topics of 4 partitions, 20 ms before a failed record comes again. */
    public static InMemoryTransport create() {
        return new InMemoryTransport(4, Duration.ofMillis(20), Clock.systemUTC());
    }

    /** Topics of the given partitions; a failed record comes again after {@code retryBackoff}. */
    public static InMemoryTransport create(int partitions, Duration retryBackoff) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a topic needs at least one partition, got " + partitions);
        }
        if (retryBackoff == null || retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retry backoff must not be negative, got " + retryBackoff);
        }
        return new InMemoryTransport(partitions, retryBackoff, Clock.systemUTC());
    }

    @Override
    public TransportPublisher openPublisher(String fencingId) {
        if (fencingId == null || fencingId.isBlank() || fencingId.length() > 200) {
            throw new IllegalArgumentException("a fencing id is 1-200 characters, got '" + fencingId + "'");
        }
        lock.lock();
        try {
            requireOpen();
            long epoch = fencingEpochs.merge(fencingId, 1L, Long::sum);
            return new Publisher(fencingId, epoch);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public TransportSubscription subscribe(String group, Set<String> topicNames, RecordHandler handler) {
        if (group == null || group.isBlank() || group.length() > 200) {
            throw new IllegalArgumentException("a consumer group is 1-200 characters, got '" + group + "'");
        }
        if (topicNames == null || topicNames.isEmpty()) {
            throw new IllegalArgumentException("subscribe to at least one topic");
        }
        topicNames.forEach(WireRecord::requireTopic);
        Objects.requireNonNull(handler, "handler");
        Member member;
        lock.lock();
        try {
            requireOpen();
            topicNames.forEach(this::topic);
            member = new Member(groups.computeIfAbsent(group, Group::new), Set.copyOf(topicNames), handler);
            members.add(member);
            member.group.members.add(member);
            rebalance(member.group);
        } finally {
            lock.unlock();
        }
        member.thread.start();
        return member;
    }

    /** How many records a topic holds, over all partitions (for tests). */
    public int size(String topic) {
        lock.lock();
        try {
            List<List<Stored>> logs = topics.get(topic);
            return logs == null ? 0 : logs.stream().mapToInt(List::size).sum();
        } finally {
            lock.unlock();
        }
    }

    private List<List<Stored>> topic(String name) {
        return topics.computeIfAbsent(name, n -> {
            List<List<Stored>> logs = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                logs.add(new ArrayList<>());
            }
            return logs;
        });
    }

    private int partitionOf(WireRecord record) {
        if (record.key().isEmpty()) {
            return Math.floorMod(roundRobin++, partitions);
        }
        return Math.floorMod(record.key().hashCode(), partitions);
    }

    /** Spreads the partitions of each topic over the group's members subscribed to it. Lock held. */
    private void rebalance(Group group) {
        Map<Member, Set<Partition>> next = new HashMap<>();
        group.members.forEach(member -> next.put(member, new java.util.HashSet<>()));
        Set<String> subscribed = new java.util.TreeSet<>();
        group.members.forEach(member -> subscribed.addAll(member.topics));
        for (String topic : subscribed) {
            List<Member> eligible = group.members.stream().filter(member -> member.topics.contains(topic)).toList();
            for (int p = 0; p < partitions; p++) {
                next.get(eligible.get(p % eligible.size())).add(new Partition(topic, p));
            }
        }
        for (Member member : group.members) {
            Set<Partition> assignment = next.get(member);
            member.positions.keySet().retainAll(assignment);
            for (Partition partition : assignment) {
                member.positions.computeIfAbsent(partition, p -> group.committed.getOrDefault(p, 0L));
            }
        }
        changed.signalAll();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the in-memory transport is closed");
        }
    }

    @Override
    public void close() {
        List<Member> running;
        lock.lock();
        try {
            closed = true;
            running = List.copyOf(members);
        } finally {
            lock.unlock();
        }
        running.forEach(Member::close);
    }

    private static final class Group {
        final String name;
        final Map<Partition, Long> committed = new HashMap<>();
        final List<Member> members = new ArrayList<>();

        Group(String name) {
            this.name = name;
        }
    }

    private final class Publisher implements TransportPublisher {
        private final String fencingId;
        private final long epoch;
        private boolean open = true;

        Publisher(String fencingId, long epoch) {
            this.fencingId = fencingId;
            this.epoch = epoch;
        }

        @Override
        public void publish(List<WireRecord> records) {
            lock.lock();
            try {
                if (!open) {
                    throw new IllegalStateException("publisher " + fencingId + " is closed");
                }
                if (fencingEpochs.get(fencingId) != epoch) {
                    open = false;
                    throw PublisherFencedException.fencedBy(fencingId, null);
                }
                requireOpen();
                Instant now = clock.instant();
                for (WireRecord record : records) {
                    topic(record.topic()).get(partitionOf(record)).add(new Stored(record, now));
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                open = false;
            } finally {
                lock.unlock();
            }
        }
    }

    private final class Member implements TransportSubscription {
        final Group group;
        final Set<String> topics;
        final RecordHandler handler;
        final Map<Partition, Long> positions = new LinkedHashMap<>();
        final Map<Partition, Long> pausedUntil = new HashMap<>();
        final Map<Partition, Integer> failures = new HashMap<>();
        final Thread thread;
        volatile boolean running = true;

        Member(Group group, Set<String> topics, RecordHandler handler) {
            this.group = group;
            this.topics = topics;
            this.handler = handler;
            this.thread = Thread.ofPlatform().daemon().name("keel-memory-" + group.name).unstarted(this::run);
        }

        @Override
        public String group() {
            return group.name;
        }

        private void run() {
            while (running) {
                Partition partition;
                long offset;
                Stored stored;
                lock.lock();
                try {
                    Map.Entry<Partition, Long> next = nextDeliverable();
                    if (next == null) {
                        changed.await(50, TimeUnit.MILLISECONDS);
                        continue;
                    }
                    partition = next.getKey();
                    offset = next.getValue();
                    stored = InMemoryTransport.this.topics.get(partition.topic()).get(partition.number()).get((int) offset);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    lock.unlock();
                }
                try {
                    handler.handle(new ReceivedRecord(stored.record(), partition.number(), offset, stored.timestamp()));
                    lock.lock();
                    try {
                        failures.remove(partition);
                        if (positions.containsKey(partition)) {
                            positions.put(partition, offset + 1);
                            group.committed.put(partition, offset + 1);
                        }
                    } finally {
                        lock.unlock();
                    }
                } catch (Exception e) {
                    lock.lock();
                    try {
                        int failed = failures.merge(partition, 1, Integer::sum);
                        long backoff = retryBackoff.toNanos() << Math.min(failed - 1, 8);
                        pausedUntil.put(partition, System.nanoTime() + backoff / 2
                                + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
                        log.debug("handling {}/{}@{} failed (attempt {}): {}", partition.topic(), partition.number(), offset, failed, e.toString());
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }

        /** The next record of an assigned, unpaused partition, taking partitions in turn. Lock held. */
        private Map.Entry<Partition, Long> nextDeliverable() {
            long now = System.nanoTime();
            for (Map.Entry<Partition, Long> entry : positions.entrySet()) {
                Long paused = pausedUntil.get(entry.getKey());
                if (paused != null && paused - now > 0) {
                    continue;
                }
                List<Stored> log = InMemoryTransport.this.topics.get(entry.getKey().topic()).get(entry.getKey().number());
                if (entry.getValue() < log.size()) {
                    // rotate so that one busy partition does not starve the others
                    Partition partition = entry.getKey();
                    Long offset = entry.getValue();
                    positions.remove(partition);
                    positions.put(partition, offset);
                    return Map.entry(partition, offset);
                }
            }
            return null;
        }

        @Override
        public void close() {
            running = false;
            if (Thread.currentThread() != thread) {
                try {
                    thread.join(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            lock.lock();
            try {
                group.members.remove(this);
                members.remove(this);
                rebalance(group);
            } finally {
                lock.unlock();
            }
        }
    }
}
