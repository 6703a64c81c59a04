package io.cvimport.input;

import org.jspecify.annotations.Nullable;

/**
 * Where the {@code env:NAME} keys of the input are read: the process's environment, or in a
 * test a map it sets (a rotated key, an unset variable) without a process of its own.
 */
@FunctionalInterface
public interface KeyVariables {

    KeyVariables ENVIRONMENT = System::getenv;

    /** The variable's value; null when it is not set. */
    @Nullable String value(String name);
}
