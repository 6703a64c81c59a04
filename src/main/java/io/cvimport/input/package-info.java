/**
 * The input CSV: reading it (streaming, restartable) and judging each row before any
 * call is made.
 */
@NullMarked
package io.cvimport.input;

import org.jspecify.annotations.NullMarked;
