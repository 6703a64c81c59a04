package io.cvimport.job;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.mockito.ArgumentMatchers;
import org.mockito.Mockito;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The {@code import.*} options of one run of a job test, as if the command had been started
 * with them: the context's option beans (Mockito spies of the bound records) answer, from
 * then on, what Spring binds from the context's settings with these options on top. The
 * options are bound as the command line binds them, so a bad value fails as it would there.
 */
final class RunOptions {

    private RunOptions() {
    }

    /** Options such as {@code --import.max-attempts=1}, over the context's own settings. */
    static Binder binder(ConfigurableEnvironment environment, String... options) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String option : options) {
            String[] parts = option.replaceFirst("^--", "").split("=", 2);
            given.merge(parts[0], parts[1], (first, next) -> first + "," + next);
        }
        List<ConfigurationPropertySource> sources = new ArrayList<>(List.of(new MapConfigurationPropertySource(given)));
        ConfigurationPropertySources.get(environment).forEach(sources::add);
        return new Binder(sources);
    }

    /** The options each spy answers with now: set for each command, read by the run's threads. */
    private static final Map<Object, AtomicReference<Object>> CURRENT = Collections.synchronizedMap(
            new IdentityHashMap<>());

    /**
     * The spy answers every call of its record's own methods as {@code options} does. It is
     * stubbed once (again after Spring reset it at a test's end) to answer from the options
     * of the latest command; a later command only swaps those, so a run still going on
     * another thread never sees Mockito's stubbing half made (a value of another method).
     */
    static <T> void answerAs(T spy, T options) {
        AtomicReference<Object> current = CURRENT.computeIfAbsent(spy, s -> new AtomicReference<>());
        current.set(options);
        if (Mockito.mockingDetails(spy).getStubbings().isEmpty()) {
            stub(spy, options.getClass(), current);
        }
    }

    private static <T> void stub(T spy, Class<?> record, AtomicReference<Object> current) {
        for (Method method : record.getDeclaredMethods()) {
            if (!Modifier.isPublic(method.getModifiers()) || Modifier.isStatic(method.getModifiers())
                    || List.of("equals", "hashCode", "toString").contains(method.getName())) {
                continue;
            }
            try {
                T stubbed = Mockito.doAnswer(call -> method.invoke(current.get(), call.getArguments())).when(spy);
                // Matchers after when(): Mockito takes them for the call that follows.
                method.invoke(stubbed, Arrays.stream(method.getParameterTypes()).map(ArgumentMatchers::any).toArray());
            }
            catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot answer " + method + " as the run's options", e);
            }
        }
    }
}
