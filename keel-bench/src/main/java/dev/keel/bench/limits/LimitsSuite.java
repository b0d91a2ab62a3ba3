package dev.keel.bench.limits;

import dev.keel.bench.BenchContext;
import dev.keel.bench.Suite;
import dev.keel.embedded.Durability;

/** All the physical limits, for both durability settings. */
public final class LimitsSuite implements Suite {

    @Override
    public String name() {
        return "limits";
    }

    @Override
    public String description() {
        return "raw JDBC inserts and reads (durable and fsync off) and raw Kafka produce/consume";
    }

    @Override
    public void run(BenchContext context) throws Exception {
        Limits limits = context.limits();
        for (Durability durability : new Durability[] {Durability.DURABLE, Durability.FAST}) {
            context.record(limits.rowPerTransactionInserts(1, durability));
            context.record(limits.rowPerTransactionInserts(8, durability));
            context.record(limits.batchedInserts(1, 100, durability));
            context.record(limits.batchedInserts(4, 100, durability));
            context.record(limits.streamingRead(durability));
            context.record(limits.readOneStream(durability));
        }
        context.record(limits.kafkaProduceAsync());
        context.record(limits.kafkaProduceSync());
        context.record(limits.kafkaConsume());
    }
}
