/**
 * Reopening rows of an earlier run on purpose (import.retry, import.resend-in-doubt,
 * import.adopt): what the operator asked for, checked, and written before the import step.
 */
@NullMarked
package io.cvimport.reopen;

import org.jspecify.annotations.NullMarked;
