package dev.azinfer.api;

import io.quarkus.logging.LoggingFilter;
import java.nio.channels.ClosedChannelException;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Drops the error RESTEasy logs when a client hangs up while its answer is written ("Exception in
 * SSE server handling, impossible to send it to client: ...ClosedChannelException"), for plain
 * answers as well as streams. A client that goes away is not a fault of the service, and the
 * ledger records it as abandoned; as an ERROR line per abandoned request it would page operators.
 * Every other record of that logger, and every other error, is kept.
 */
@LoggingFilter(name = "client-gone")
public final class ClientGoneLogFilter implements Filter {

    static final String LOGGER = "org.jboss.resteasy.reactive.server.handlers.PublisherResponseHandler";

    @Override
    public boolean isLoggable(LogRecord record) {
        return !(LOGGER.equals(record.getLoggerName()) && clientGone(record));
    }

    private static boolean clientGone(LogRecord record) {
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            if (t instanceof ClosedChannelException) {
                return true;
            }
        }
        String text = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        return text != null && text.contains("ClosedChannelException");
    }
}
