package dev.keel.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes readers when PostgreSQL sends a {@code NOTIFY} on a channel they care about, so a committed
 * row reaches its reader within milliseconds instead of at the next poll. One listener holds one
 * dedicated connection (taken from the data source for as long as it runs) and serves any number of
 * channels and callbacks.
 *
 * <p>Notifications are hints, not data: PostgreSQL folds duplicates within a transaction, and none
 * arrive while the connection is down. So a callback only says "look again", readers still poll now
 * and then as a fallback, and after reconnecting the listener calls every callback once, since a
 * notification may have been missed meanwhile.
 *
 * <p>Callbacks run on the listener's thread and must be quick (release a latch, unpark a thread).
 */
public final class NotificationListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);
    private static final int WAIT_MILLIS = 50;

    /** Undoes an {@link #onNotify} registration. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final DataSource dataSource;
    private final Object connectionLock = new Object();
    private final Map<String, List<Runnable>> callbacks = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private Connection connection;

    private NotificationListener(DataSource dataSource, String name) {
        this.dataSource = dataSource;
        this.thread = Thread.ofPlatform().daemon().name("keel-listen-" + name).unstarted(this::loop);
    }

    /** Starts a listener; {@code name} shows in thread names and logs. */
    public static NotificationListener start(DataSource dataSource, String name) {
        NotificationListener listener = new NotificationListener(dataSource, name);
        synchronized (listener.connectionLock) {
            listener.connection = listener.connectOrNull();
        }
        listener.thread.start();
        return listener;
    }

    /**
     * Calls {@code callback} whenever a notification arrives on {@code channel}. When this method
     * returns, the listener is listening (if the database is reachable): a row committed afterwards
     * is notified. Register first, then read what is already there, and nothing falls between.
     */
    public Registration onNotify(String channel, Runnable callback) {
        SqlNames.identifier(channel, "channel");
        List<Runnable> list = callbacks.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>());
        list.add(callback);
        synchronized (connectionLock) {
            if (connection != null) {
                try {
                    listen(connection, channel);
                } catch (SQLException e) {
                    log.warn("LISTEN {} failed, will retry on reconnect: {}", channel, e.getMessage());
                    closeQuietly();
                }
            }
        }
        return () -> list.remove(callback);
    }

    public boolean isConnected() {
        synchronized (connectionLock) {
            return connection != null;
        }
    }

    private void loop() {
        long backoffMillis = 100;
        while (running) {
            PGNotification[] notifications = null;
            boolean reconnected = false;
            synchronized (connectionLock) {
                if (connection == null) {
                    connection = connectOrNull();
                    reconnected = connection != null;
                }
                if (connection != null) {
                    try {
                        notifications = connection.unwrap(PGConnection.class).getNotifications(WAIT_MILLIS);
                        backoffMillis = 100;
                    } catch (SQLException e) {
                        if (running) {
                            log.warn("notification connection lost: {}; reconnecting", e.getMessage());
                        }
                        closeQuietly();
                    }
                }
            }
            if (reconnected) {
                // anything may have been committed while we were not listening
                callbacks.values().forEach(list -> list.forEach(NotificationListener::runSafely));
            }
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    List<Runnable> list = callbacks.get(notification.getName());
                    if (list != null) {
                        list.forEach(NotificationListener::runSafely);
                    }
                }
            } else if (running && !isConnected()) {
                LockSupport.parkNanos(Duration.ofMillis(backoffMillis + ThreadLocalRandom.current().nextLong(50)).toNanos());
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    private Connection connectOrNull() {
        try {
            Connection fresh = dataSource.getConnection();
            fresh.setAutoCommit(true);
            for (String channel : callbacks.keySet()) {
                listen(fresh, channel);
            }
            return fresh;
        } catch (SQLException e) {
            log.debug("cannot connect for notifications: {}", e.getMessage());
            return null;
        }
    }

    private static void listen(Connection connection, String channel) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + channel);
        }
    }

    private static void runSafely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.warn("notification callback failed", e);
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    /** Stops listening and returns the connection. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (connectionLock) {
            closeQuietly();
        }
    }
}
