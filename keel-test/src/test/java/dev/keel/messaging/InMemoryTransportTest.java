package dev.keel.messaging;

import dev.keel.messaging.memory.InMemoryTransport;
import dev.keel.messaging.spi.MessageTransport;
import dev.keel.test.messaging.MessageTransportContract;

class InMemoryTransportTest extends MessageTransportContract {

    @Override
    protected MessageTransport newTransport() {
        return InMemoryTransport.create();
    }
}
