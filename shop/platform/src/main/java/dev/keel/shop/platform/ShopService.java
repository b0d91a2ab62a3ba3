package dev.keel.shop.platform;

import java.util.List;

/**
 * One service of the Shop, as the launcher sees it. Each implementation is registered in
 * {@code META-INF/services/dev.keel.shop.platform.ShopService} of its module; {@code shop/run} starts
 * all of them in one process, {@code shop/run --service <name>} one.
 *
 * <p>Before {@link #start} the launcher has given the service a database ({@code shop_<name>}) and a
 * role of its own, and created the Kafka topics the service {@linkplain #topics() names}.
 */
public interface ShopService {

    /** Lower-case name: {@code customer}, {@code order-view}, ... */
    String name();

    /** The HTTP port when none is configured. */
    int defaultPort();

    /** Kafka topics the service produces to or consumes from; created before any service starts. */
    List<String> topics();

    /** Starts the service; it serves HTTP and processes messages until the returned handle is closed. */
    RunningService start(ServiceContext context) throws Exception;
}
