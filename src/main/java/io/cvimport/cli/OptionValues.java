package io.cvimport.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.ClassUtils;

/**
 * The values given on the command line, checked before anything starts as Boot will read them
 * (its duration styles, Spring's number parsing, lenient enums) and against the settings records'
 * own rules: a value Boot would refuse is refused here, in the operator's words. Neither Boot's
 * binder nor its conversion service is used here: the binder starts the logging system, and the
 * two cost more than the whole check. Spring binds every value again when it starts, from every
 * source; a rule between two settings is left to it.
 */
final class OptionValues {

    private final KnownOptions known;
    private final CommandLine line;
    /** The value given for each option of a settings record, by the option's documented name. */
    private final Map<String, String> given = new LinkedHashMap<>();

    OptionValues(KnownOptions known, CommandLine line) {
        this.known = known;
        this.line = line;
    }

    /** The first value that would not bind, in words; none when every one does. */
    Optional<String> problem() {
        for (String name : line.options().keySet()) {
            KnownOption option = known.find(name).orElse(null);
            String value = line.last(name);
            if (option == null || option.flag() || option.repeatable() || value == null) {
                continue;
            }
            if (!converts(value, option.valueType())) {
                return Optional.of(line.typed(name) + ": " + expected(option.valueType()));
            }
            if (option.group() != null && !option.keyed()) {
                given.put(option.name(), value);
            }
        }
        for (Map.Entry<String, String> group : known.groups().entrySet()) {
            if (given.keySet().stream().anyMatch(name -> name.startsWith(group.getValue() + "."))) {
                Optional<String> broken = construct(group.getKey(), group.getValue());
                if (broken.isPresent()) {
                    return broken;
                }
            }
        }
        return Optional.empty();
    }

    /** Makes the record with the values given and its defaults, to run its own rules on them. */
    private Optional<String> construct(String typeName, String prefix) {
        try {
            Class<?> type = Class.forName(typeName);
            RecordComponent[] components = type.getRecordComponents();
            if (components == null) {
                return Optional.empty();
            }
            Constructor<?> constructor = type.getDeclaredConstructor(
                    java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            Parameter[] parameters = constructor.getParameters();
            Object[] arguments = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                arguments[i] = argument(prefix + "." + kebab(components[i].getName()), parameters[i]);
            }
            constructor.setAccessible(true);
            constructor.newInstance(arguments);
            return Optional.empty();
        }
        catch (InvocationTargetException e) {
            if (e.getCause() instanceof InvalidConfigurationPropertyValueException invalid) {
                String name = invalid.getName();
                return Optional.of((given.containsKey(name) ? typed(name) : "--" + name + "=" + invalid.getValue())
                        + ": " + invalid.getReason());
            }
            // A rule between settings: Spring decides, seeing every source of them.
            return Optional.empty();
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            // A record this check cannot make (a shape it does not know): Spring binds it as ever.
            return Optional.empty();
        }
    }

    private @Nullable Object argument(String name, Parameter parameter) {
        Class<?> type = ClassUtils.resolvePrimitiveIfNecessary(parameter.getType());
        String value = given.get(name);
        if (value == null) {
            DefaultValue defaults = parameter.getAnnotation(DefaultValue.class);
            if (defaults == null) {
                return parameter.getType().isPrimitive() ? ValueForms.convert("0", type) : null;
            }
            if (Map.class.isAssignableFrom(type) || List.class.isAssignableFrom(type)) {
                return Map.class.isAssignableFrom(type) ? Map.of() : List.of();
            }
            value = String.join(",", defaults.value());
        }
        return ValueForms.convert(value, type);
    }

    /** As the operator typed it (their spelling of the name), for an option of a settings record. */
    private String typed(String name) {
        return line.options().keySet().stream().filter(typed -> known.find(typed).map(KnownOption::name)
                .filter(name::equals).isPresent()).reduce((first, last) -> last).map(line::typed)
                .orElse("--" + name + "=" + given.get(name));
    }

    private boolean converts(String value, String typeName) {
        try {
            ValueForms.convert(value, ClassUtils.forName(typeName, OptionValues.class.getClassLoader()));
            return true;
        }
        catch (IllegalArgumentException e) {
            return false;
        }
        catch (ClassNotFoundException | LinkageError e) {
            return true;
        }
    }

    private static String kebab(String component) {
        return component.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /** The form a value of this type takes. */
    static String expected(String typeName) {
        switch (typeName) {
            case "java.time.Duration":
                return "not a duration (e.g. 30s, 5m, PT1H)";
            case "java.lang.Integer", "java.lang.Long", "int", "long":
                return "not a whole number";
            case "java.lang.Double", "double":
                return "not a number";
            case "java.lang.Boolean", "boolean":
                return "takes true or false";
            case "java.net.URI":
                return "not a URL";
            default:
                List<String> constants = KnownOption.enumConstants(typeName);
                return constants.isEmpty() ? "not a " + typeName.substring(typeName.lastIndexOf('.') + 1)
                        : "takes one of " + String.join(", ", constants);
        }
    }
}
