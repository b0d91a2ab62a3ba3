package dev.keel.composition;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A downstream that reads each HTTP request and never answers, and notices when the client closes the
 * connection: a plain server socket, so that the test sees exactly what a real server would — the
 * request line arrives, then the connection is closed by the other side (the call was abandoned).
 */
final class SilentServer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final AtomicInteger closedByClient = new AtomicInteger();
    private final Thread acceptor;
    private volatile Runnable onRequest = () -> { };

    private SilentServer() throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().start(this::accept);
    }

    static SilentServer start() {
        try {
            return new SilentServer();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    /** Runs after each request has been read. */
    void onRequest(Runnable action) {
        this.onRequest = action;
    }

    /** The request lines received ({@code GET /path HTTP/1.1}). */
    List<String> requestLines() {
        return List.copyOf(requestLines);
    }

    /** How many connections the client closed while waiting for an answer. */
    int closedByClient() {
        return closedByClient.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                Thread.ofVirtual().start(() -> serve(connection));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
            String line = reader.readLine();
            if (line == null) {
                return;
            }
            String header;
            do {
                header = reader.readLine();
            } while (header != null && !header.isEmpty());
            requestLines.add(line);
            onRequest.run();
            // never answer; a read returns -1 (or fails) once the client closes the connection
            int next = reader.read();
            if (next == -1 && !socket.isClosed()) {
                closedByClient.incrementAndGet();
            }
        } catch (IOException reset) {
            if (!socket.isClosed()) {
                closedByClient.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            for (Socket connection : connections) {
                connection.close();
            }
            acceptor.join();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
