package dev.azinfer.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.ClosedChannelException;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/** Only RESTEasy's record of a client that hung up is dropped. */
class ClientGoneLogFilterTest {

    private final ClientGoneLogFilter filter = new ClientGoneLogFilter();

    private static ExtLogRecord record(String logger, String format, Object parameter, Throwable thrown) {
        ExtLogRecord r = new ExtLogRecord(Level.SEVERE, format, ExtLogRecord.FormatStyle.PRINTF, logger);
        r.setLoggerName(logger);
        r.setParameters(new Object[] {parameter});
        r.setThrown(thrown);
        return r;
    }

    @Test
    void a_client_that_hung_up_is_not_an_error() {
        // as RESTEasy logs it: the exception in the message
        assertFalse(filter.isLoggable(record(
                ClientGoneLogFilter.LOGGER,
                "Exception in SSE server handling, impossible to send it to client: %s",
                "io.netty.channel.StacklessClosedChannelException",
                null)));
        // or as the record's throwable
        assertFalse(filter.isLoggable(record(
                ClientGoneLogFilter.LOGGER,
                "Exception in SSE server handling: %s",
                "x",
                new ClosedChannelException())));
    }

    @Test
    void other_errors_are_kept() {
        assertTrue(filter.isLoggable(record(
                ClientGoneLogFilter.LOGGER,
                "Exception in SSE server handling, impossible to send it to client: %s",
                "java.lang.IllegalStateException: boom",
                new IllegalStateException("boom"))));
        assertTrue(filter.isLoggable(record(
                "dev.azinfer.inference.ChatService",
                "closed: %s",
                "ClosedChannelException",
                new ClosedChannelException())));
    }
}
