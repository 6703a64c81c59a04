/**
 * The import step in Spring Batch's terms: a step-scoped tasklet whose rounds feed the
 * engine and await it, report progress, and contribute the settled rows to the step.
 */
@NullMarked
package io.cvimport.imports.step;

import org.jspecify.annotations.NullMarked;
