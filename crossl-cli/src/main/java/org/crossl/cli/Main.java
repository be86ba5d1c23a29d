package org.crossl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.crossl.api.data.DataFormatException;
import org.crossl.core.IoErrors;
import org.crossl.core.RunLock;
import org.crossl.core.Versions;
import org.crossl.core.config.ConfigError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code crossl}: the command line. Errors a user can fix are printed as one message, no stack trace
 * (set {@code CROSSL_DEBUG=1} to see it). */
@Command(name = "crossl", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Cross-modal self-supervised learning (CroSSL) on multimodal time series.",
        subcommands = {PluginsCommand.class, DataCommand.class, PretrainCommand.class, EvaluateCommand.class, EmbedCommand.class, FinetuneCommand.class, PredictCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: plugins, data, pretrain, evaluate, embed, finetune, predict or bench");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line and returns the exit code (0 ok, 1 failed, 2 bad usage or input, 3 the run directory is in use). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean debug = System.getenv("CROSSL_DEBUG") != null;
            Throwable cause = ex instanceof UncheckedIOException u ? u.getCause() : ex;
            if (debug) {
                ex.printStackTrace(err);
            }
            if (cause instanceof ConfigError || cause instanceof IllegalArgumentException || cause instanceof DataFormatException) {
                err.println("error: " + cause.getMessage());
                return 2;
            }
            if (cause instanceof RunLock.HeldException) {
                err.println("error: " + cause.getMessage());
                return 3;
            }
            if (cause instanceof IOException) {
                // Java's file-system exceptions say only the path; name what happened to it
                err.println("error: " + (cause instanceof java.nio.file.FileSystemException ? IoErrors.describe(cause) : cause.getMessage()));
                return 1;
            }
            err.println("error: " + cause);
            if (!debug) {
                err.println("(an unexpected failure; run again with CROSSL_DEBUG=1 for the stack trace, and please report it)");
            }
            return 1;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"crossl " + Versions.library(), "Java " + System.getProperty("java.version")};
        }
    }
}
