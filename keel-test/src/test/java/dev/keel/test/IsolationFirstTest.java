package dev.keel.test;

import org.junit.jupiter.api.Test;

@WithInfrastructure
class IsolationFirstTest {

    @Test
    void sees_only_its_own_table_rows_and_messages(TestDatabase db, TestKafka kafka) throws Exception {
        IsolationProbe.writeAndFindOnlyOwnData("first", db, kafka);
    }
}
