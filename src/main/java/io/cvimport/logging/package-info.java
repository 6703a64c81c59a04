/** Logging guards: what must never be logged, whatever the configured levels. */
@NullMarked
package io.cvimport.logging;

import org.jspecify.annotations.NullMarked;
