package dev.keel.bench.twophase;

import dev.keel.bench.BenchContext;
import dev.keel.bench.Result;
import dev.keel.bench.Suite;
import dev.keel.bench.limits.Limits;
import dev.keel.embedded.Durability;

/**
 * A transfer across two databases as one two-phase transaction ({@link TransferWorkload}), on 1 and 8
 * threads, durable and with fsync off. Throughput is compared with single-row commits (the
 * {@code pg.insert.row-per-tx} limit: one row per transaction, so its rows per second are
 * transactions per second); latency with the same transfer done as two plain local commits, the
 * least the work itself costs.
 */
public final class TwoPhaseSuite implements Suite {

    @Override
    public String name() {
        return "twophase";
    }

    @Override
    public String description() {
        return "two-phase commit of a 2-database transfer, against single-row commits and two local commits";
    }

    @Override
    public void run(BenchContext context) throws Exception {
        int accounts = context.scale().quick() ? 100 : 10_000;
        for (Durability durability : new Durability[] {Durability.DURABLE, Durability.FAST}) {
            String suffix = Limits.suffix(durability);
            try (TransferWorkload workload = TransferWorkload.create(context, durability, accounts, 10)) {
                for (int threads : new int[] {1, 8}) {
                    String shape = threads + (threads == 1 ? "-thread." : "-threads.") + suffix;
                    Result rowPerTransaction = context.limits().rowPerTransactionInserts(threads, durability);
                    context.record(rowPerTransaction);
                    Result singleRowCommits = Result.limit("pg.commit.single-row." + shape, rowPerTransaction.value(), "tx/s");

                    TimedThroughput.Timing local = TimedThroughput.measure(context, threads, thread -> workload.transferTwoLocalCommits());
                    context.record(Result.limit("local.transfer.two-commits." + shape, local.perSecond(), "tx/s"));
                    Result localP50 = Result.limit("local.transfer.two-commits.latency-p50." + shape, local.p50Millis(), "ms");
                    Result localP99 = Result.limit("local.transfer.two-commits.latency-p99." + shape, local.p99Millis(), "ms");

                    TimedThroughput.Timing twoPhase = TimedThroughput.measure(context, threads, thread -> workload.transferTwoPhase());
                    context.recordAgainst("twophase.transfer." + shape, twoPhase.perSecond(), "tx/s", singleRowCommits);
                    context.recordAgainst("twophase.transfer.latency-p50." + shape, twoPhase.p50Millis(), "ms", localP50);
                    context.recordAgainst("twophase.transfer.latency-p99." + shape, twoPhase.p99Millis(), "ms", localP99);
                }
                workload.checkConsistent();
            }
        }
    }
}
