package io.cvimport.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * One option of the job, as its configuration metadata declares it.
 *
 * @param name         as documented ({@code import.rate-per-target})
 * @param type         the Java type ({@code java.time.Duration}, {@code java.util.Map<java.lang.String,java.net.URI>})
 * @param description  what it does
 * @param defaultValue its default, if it has one
 * @param group        the {@code @ConfigurationProperties} record that binds it; null for the command's own
 */
record KnownOption(String name, String type, String description, @Nullable String defaultValue,
        @Nullable String group) {

    /** {@code --customvision.endpoints.<KEY>=}: any name below it. */
    boolean keyed() {
        return type.startsWith("java.util.Map<");
    }

    boolean repeatable() {
        return type.startsWith("java.util.List<");
    }

    /** A switch of the command ({@code --status}): given without a value. */
    boolean flag() {
        return group == null && type.equals("java.lang.Boolean");
    }

    /** The type of one value: a map's or a list's element type. */
    String valueType() {
        int open = type.indexOf('<');
        if (open < 0) {
            return type;
        }
        String[] arguments = type.substring(open + 1, type.length() - 1).split(",");
        return arguments[arguments.length - 1].trim();
    }

    /** How it is typed: {@code --import.timeout=DURATION}, {@code --customvision.endpoints.<KEY>=URL}, --stop. */
    String synopsis() {
        if (flag()) {
            return "--" + name;
        }
        return "--" + name + (keyed() ? ".<KEY>" : "") + "=" + placeholder() + (repeatable() ? "[,...]" : "");
    }

    private String placeholder() {
        switch (name.substring(name.lastIndexOf('.') + 1)) {
            case "input", "report", "textfile":
                return "FILE";
            case "repository":
                return "DIR";
            case "report-of":
                return "ID";
            default:
                break;
        }
        switch (valueType()) {
            case "java.time.Duration":
                return "DURATION";
            case "java.lang.Integer", "java.lang.Long", "int", "long":
                return "N";
            case "java.lang.Double", "double":
                return "NUMBER";
            case "java.lang.Boolean", "boolean":
                return "true|false";
            case "java.net.URI":
                return "URL";
            default:
                List<String> constants = enumConstants(valueType());
                return constants.isEmpty() ? "VALUE" : String.join("|", constants);
        }
    }

    /** An enum's constants as Spring binds them (any case): lower case; none for another type. */
    static List<String> enumConstants(String typeName) {
        try {
            Class<?> type = Class.forName(typeName, false, KnownOption.class.getClassLoader());
            Object[] constants = type.getEnumConstants();
            return constants == null ? List.of()
                    : Arrays.stream(constants).map(c -> c.toString().toLowerCase(Locale.ROOT)).toList();
        }
        catch (ClassNotFoundException | LinkageError e) {
            return List.of();
        }
    }
}
