/**
 * The import engine: many imports in flight across targets, each target held to its
 * rate budget, in-flight imports settled by one project listing per target per round,
 * and every call announced in the ledger before it leaves.
 */
@NullMarked
package io.cvimport.imports;

import org.jspecify.annotations.NullMarked;
