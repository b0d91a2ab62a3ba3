package dev.keel.twophase;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A real database behind a network that fails on request: connections refused, or the answer to a
 * decision-log insert lost after the server has committed it.
 */
final class FlakyDataSource implements DataSource {

    private final DataSource real;
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicBoolean loseNextDecisionAnswer = new AtomicBoolean();

    FlakyDataSource(DataSource real) {
        this.real = real;
    }

    void refuseNextConnections(int count) {
        refusals.set(count);
    }

    void loseTheAnswerToTheNextDecision() {
        loseNextDecisionAnswer.set(true);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SQLException("Connection refused (injected)", "08001");
        }
        Connection connection = real.getConnection();
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(connection, method, args);
                    if (method.getName().equals("prepareStatement") && ((String) args[0]).contains("INSERT INTO")
                            && loseNextDecisionAnswer.getAndSet(false)) {
                        return losingTheAnswer(connection, (PreparedStatement) result);
                    }
                    return result;
                });
    }

    private static PreparedStatement losingTheAnswer(Connection connection, PreparedStatement statement) {
        return (PreparedStatement) Proxy.newProxyInstance(PreparedStatement.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                    Object result = invoke(statement, method, args);
                    if (method.getName().equals("executeUpdate")) {
                        connection.abort(Runnable::run);
                        throw new SQLException("An I/O error occurred while sending to the backend (injected)", "08006");
                    }
                    return result;
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return real.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        real.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        real.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return real.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return real.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return real.isWrapperFor(iface);
    }
}
