package dev.keel.outbox.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A component run in a JVM of its own, which halts itself ({@code Runtime.halt}: no shutdown hooks, no
 * finally blocks, sockets dropped by the operating system) at the crash point it was given. That is
 * as abrupt as a process can die; PostgreSQL rolls back its open transaction, Kafka forgets its
 * unfinished one only when someone fences it.
 */
final class ChildJvm {

    /** The exit code of a child that halted at its crash point. */
    static final int HALTED = 137;

    private final Process process;
    private final Thread pump;

    private ChildJvm(Process process, String name) {
        this.process = process;
        this.pump = Thread.ofPlatform().daemon().name("child-" + name).start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    System.out.println("[" + name + "] " + line);
                }
            } catch (IOException e) {
                System.out.println("[" + name + "] output closed: " + e);
            }
        });
    }

    static ChildJvm start(Class<?> main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            return new ChildJvm(process, main.getSimpleName());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + main.getName(), e);
        }
    }

    /** Waits for the child to reach its crash point and halt. */
    void awaitHalt() {
        try {
            boolean exited = process.waitFor(2, TimeUnit.MINUTES);
            if (!exited) {
                process.destroyForcibly();
            }
            assertThat(exited).as("the child reached its crash point").isTrue();
            assertThat(process.exitValue()).as("the child halted at its crash point").isEqualTo(HALTED);
            pump.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    /** Halts the JVM it is called in, as a crash would. */
    static void halt(String where) {
        System.out.println("crashing " + where);
        System.out.flush();
        Runtime.getRuntime().halt(HALTED);
    }
}
