package io.cvimport.logging;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Keeps stdout for the answer of the commands that scripts read ({@code --status},
 * {@code --plan}, {@code --report-of}): from the application's first event on, whatever
 * writes to {@code System.out} (the console log above all) writes to stderr, and only
 * {@link #answer()} reaches the real stdout. Logback's console appender looks
 * {@code System.out} up at each write, so the swap holds for the log configured later.
 * Registered in {@code META-INF/spring.factories}.
 */
public final class AnswerOnStdout implements ApplicationListener<ApplicationEvent> {

    private static final List<String> ANSWERING = List.of("--status", "--plan", "--report-of");

    private static volatile @Nullable PrintStream stdout;

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationStartingEvent starting && answers(starting.getArgs())) {
            swap();
        }
        else if (event instanceof ContextClosedEvent || event instanceof ApplicationFailedEvent) {
            restore();
        }
    }

    /** Where a command's answer goes: the real stdout. */
    public static PrintStream answer() {
        PrintStream real = stdout;
        return real != null ? real : System.out;
    }

    static boolean answers(String[] args) {
        return Arrays.stream(args).anyMatch(arg -> ANSWERING.stream()
                .anyMatch(option -> arg.equals(option) || arg.startsWith(option + "=")));
    }

    private static synchronized void swap() {
        if (stdout == null) {
            stdout = System.out;
            System.setOut(System.err);
        }
    }

    /** Puts stdout back, for a JVM that runs more than one command (tests do). */
    private static synchronized void restore() {
        PrintStream real = stdout;
        if (real != null) {
            System.out.flush();
            System.setOut(real);
            stdout = null;
        }
    }
}
