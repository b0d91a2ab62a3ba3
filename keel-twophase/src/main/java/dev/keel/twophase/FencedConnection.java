package dev.keel.twophase;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The connection a participant's work sees: the real one, except that it cannot end the branch
 * (commit, roll back, switch to auto-commit, close) and stops working once the transaction's work
 * phase is over. Savepoints, statements and everything else pass through.
 */
final class FencedConnection implements InvocationHandler {

    private static final Set<String> TRANSACTION_CONTROL = Set.of("commit", "setAutoCommit", "close", "abort");

    private final Connection connection;
    private final String participant;
    private final TransactionId transaction;
    private final BooleanSupplier open;

    private FencedConnection(Connection connection, String participant, TransactionId transaction, BooleanSupplier open) {
        this.connection = connection;
        this.participant = participant;
        this.transaction = transaction;
        this.open = open;
    }

    static Connection around(Connection connection, String participant, TransactionId transaction, BooleanSupplier open) {
        return (Connection) Proxy.newProxyInstance(FencedConnection.class.getClassLoader(), new Class<?>[] {Connection.class},
                new FencedConnection(connection, participant, transaction, open));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "equals" -> {
                return proxy == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            case "toString" -> {
                return "connection of participant '" + participant + "' in two-phase transaction " + transaction;
            }
            case "isClosed" -> {
                return !open.getAsBoolean() || connection.isClosed();
            }
            default -> {
            }
        }
        if (!open.getAsBoolean()) {
            throw TwoPhaseMisuse.connectionUsedAfterEnd(participant, transaction);
        }
        // rollback(Savepoint) stays allowed: it undoes part of the branch, not the branch
        boolean rollbackOfEverything = name.equals("rollback") && (args == null || args.length == 0);
        if (TRANSACTION_CONTROL.contains(name) || rollbackOfEverything) {
            throw TwoPhaseMisuse.transactionControl(participant, name);
        }
        try {
            return method.invoke(connection, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
