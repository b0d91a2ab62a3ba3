package dev.keel.messaging.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import dev.keel.core.NonTransientException;
import dev.keel.core.TransientException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics the transport uses and waits until every partition accepts writes (ADR 0003):
 * metadata names a partition's leader a moment before the leader can take writes, and an idempotent
 * producer that writes in that moment can lose its first batch. ListOffsets is answered by the
 * partition's replica itself, so once it succeeds for every partition, writing is safe.
 */
final class TopicAdmin implements AutoCloseable {

    private final Map<String, Object> clientProperties;
    private final int partitions;
    private final Optional<Short> replicationFactor;
    private final Duration timeout;
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private Admin admin;

    TopicAdmin(Map<String, Object> clientProperties, int partitions, Optional<Short> replicationFactor, Duration timeout) {
        this.clientProperties = new HashMap<>(clientProperties);
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.timeout = timeout;
    }

    /** Makes sure the topics exist and are writable; remembers the ones that are. */
    void ensure(Collection<String> topics) {
        List<String> missing = topics.stream().filter(topic -> !ready.contains(topic)).distinct().toList();
        if (missing.isEmpty()) {
            return;
        }
        synchronized (this) {
            missing = missing.stream().filter(topic -> !ready.contains(topic)).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                create(missing);
                awaitWritable(missing);
                ready.addAll(missing);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransientException("interrupted while creating topics " + missing, e);
            } catch (TimeoutException e) {
                throw new TransientException("topics " + missing + " not writable within " + timeout, e);
            }
        }
    }

    private void create(List<String> topics) throws InterruptedException, TimeoutException {
        List<NewTopic> requests = new ArrayList<>();
        for (String topic : topics) {
            requests.add(new NewTopic(topic, Optional.of(partitions), replicationFactor));
        }
        for (var entry : admin().createTopics(requests).values().entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    if (KafkaFailures.withDefaults().isTransient(e.getCause())) {
                        throw new TransientException("could not create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                    throw new NonTransientException("could not create topic " + entry.getKey() + ": " + e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }

    private void awaitWritable(List<String> topics) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        long pauseNanos = TimeUnit.MILLISECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                var descriptions = admin().describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                Map<TopicPartition, OffsetSpec> offsets = new HashMap<>();
                descriptions.forEach((topic, description) -> description.partitions()
                        .forEach(partition -> offsets.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest())));
                admin().listOffsets(offsets).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                last = e.getCause();
            }
            LockSupport.parkNanos(pauseNanos);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            pauseNanos = Math.min(pauseNanos * 2, TimeUnit.MILLISECONDS.toNanos(200));
        }
        TimeoutException timedOut = new TimeoutException("partitions of " + topics + " not writable after " + timeout);
        if (last != null) {
            timedOut.initCause(last);
        }
        throw timedOut;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(clientProperties);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
