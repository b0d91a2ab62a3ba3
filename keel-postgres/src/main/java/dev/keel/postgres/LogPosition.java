package dev.keel.postgres;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A place in a committed log: the id of the transaction that wrote a row ({@code tx_id}, PostgreSQL's
 * {@code xid8}) and the row's {@code position} within the table. Rows are read in
 * {@code (txId, position)} order, which every reader sees the same way and which never changes once a
 * row is visible (see {@link CommittedLog}). {@link #START} is before every row.
 *
 * <p>{@link #token()} is its text form for APIs and HTTP, e.g. {@code "815.1204"}.
 */
public record LogPosition(long txId, long position) implements Comparable<LogPosition> {

    public static final LogPosition START = new LogPosition(0, 0);

    private static final Pattern TOKEN = Pattern.compile("(\\d{1,19})\\.(\\d{1,19})");

    public LogPosition {
        if (txId < 0 || position < 0) {
            throw new IllegalArgumentException("a log position is not negative, got " + txId + "." + position);
        }
    }

    public static LogPosition parse(String token) {
        Matcher matcher = token == null ? null : TOKEN.matcher(token.trim());
        if (matcher == null || !matcher.matches()) {
            throw new IllegalArgumentException("not a log position token (<tx id>.<position>): '" + token + "'");
        }
        try {
            return new LogPosition(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("log position token out of range: '" + token + "'", e);
        }
    }

    public String token() {
        return txId + "." + position;
    }

    public boolean isAfter(LogPosition other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(LogPosition other) {
        int byTx = Long.compare(txId, other.txId);
        return byTx != 0 ? byTx : Long.compare(position, other.position);
    }

    @Override
    public String toString() {
        return token();
    }
}
