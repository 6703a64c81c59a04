/**
 * The input, read for one execution: the rows still open in the ledger (or the file, streamed),
 * each judged (its key, its target, a pair already taken) and handed to the engine, within its
 * window and its partition.
 */
@NullMarked
package io.cvimport.imports.feed;

import org.jspecify.annotations.NullMarked;
