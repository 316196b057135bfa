package dev.storefront.common;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Writes each log record as one JSON line ({@link JsonLogFormatter}) to standard output, where a
 * container runtime collects it. Usable from a {@code logging.properties} ({@code handlers=}) and
 * from code ({@link #install()}), so every process logs the same way.
 */
public final class JsonStdoutHandler extends Handler {
    /** The real standard output, even when System.out was replaced. */
    private static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);

    /** Held here: a logger nobody references may be collected, and its level with it. */
    private static final Logger STOREFRONT = Logger.getLogger("dev.storefront");

    public JsonStdoutHandler() {
        setFormatter(new JsonLogFormatter());
        setLevel(Level.ALL);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String line = getFormatter().format(record);
        synchronized (OUT) {
            OUT.print(line);
            OUT.flush();
        }
    }

    @Override
    public void flush() {
        OUT.flush();
    }

    @Override
    public void close() {
        flush();
    }

    /**
     * Makes JSON lines on standard output the only log output of this process, at the platform's levels
     * (INFO for Storefront's own loggers, WARNING for libraries), and logs uncaught exceptions as such
     * lines instead of a plain stack trace.
     */
    public static void install() {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        root.addHandler(new JsonStdoutHandler());
        STOREFRONT.setLevel(Level.INFO);
        Thread.setDefaultUncaughtExceptionHandler((thread, error) ->
                Logger.getLogger("dev.storefront.uncaught").log(Level.SEVERE, "Uncaught in thread " + thread.getName(), error));
    }
}
