package dev.keel.shop.gateway;

import java.util.List;

import dev.keel.shop.platform.RunningService;
import dev.keel.shop.platform.ServiceContext;
import dev.keel.shop.platform.ShopService;

/** The gateway as the Shop's launcher sees it: port 8080, no Kafka topics, a database for its audit log. */
public final class GatewayService implements ShopService {

    public static final String NAME = "gateway";
    public static final int DEFAULT_PORT = 8080;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int defaultPort() {
        return DEFAULT_PORT;
    }

    @Override
    public List<String> topics() {
        return List.of();
    }

    @Override
    public RunningService start(ServiceContext context) {
        return Gateway.start(context);
    }
}
