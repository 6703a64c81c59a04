/**
 * The import step, in rooms a row's token passes through in one direction:
 * {@code step} (the Spring Batch tasklet and its rounds) hands the input to {@code feed}
 * (which reads the rows, judges them and hands them on), which hands them to the
 * {@code engine} (one execution's imports, put together from the rooms below it):
 * {@code sending} (an export and an import, the write-ahead before it, other runs' claims),
 * {@code settling} (listings that settle awaited imports, decide lost answers, verify what
 * arrived), both over {@code lanes} (one per target resource, owned by one thread, with its
 * rate budget and the rules of when it may call). What records to the ledger is in
 * {@code io.cvimport.ledger}. This package holds only what all of them read: the
 * {@code import.*} settings.
 */
@NullMarked
package io.cvimport.imports;

import org.jspecify.annotations.NullMarked;
