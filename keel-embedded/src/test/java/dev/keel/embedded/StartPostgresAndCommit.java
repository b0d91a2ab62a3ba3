package dev.keel.embedded;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** Run in a child JVM by a test: starts a durable server, commits a row, says so, and waits to be killed. */
public final class StartPostgresAndCommit {

    static final String COMMITTED = "COMMITTED";

    private StartPostgresAndCommit() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().dataDirectory(Path.of(args[0])).start();
        postgres.createDatabase("crash");
        EmbeddedPostgresTest.execute(postgres, "crash",
                "CREATE TABLE survived (v text)", "INSERT INTO survived VALUES ('committed before the kill')");
        System.out.println(COMMITTED);
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
