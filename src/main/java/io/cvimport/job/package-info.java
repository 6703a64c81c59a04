/**
 * The job's wiring (load, import, report) and the command that launches, restarts or
 * recovers it and turns its outcome into an exit code.
 */
@NullMarked
package io.cvimport.job;

import org.jspecify.annotations.NullMarked;
