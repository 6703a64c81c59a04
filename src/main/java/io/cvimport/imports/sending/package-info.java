/**
 * One send: a source row's export just before its import, the write-ahead (claim, send slot,
 * fence) before the request leaves, what its answer proves, and rows that wait on another
 * row's claim.
 */
@NullMarked
package io.cvimport.imports.sending;

import org.jspecify.annotations.NullMarked;
