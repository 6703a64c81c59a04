/**
 * One lane per target resource, and the one thread that owns them: their queues, awaited
 * imports, lost answers and rate budgets; the rules of when a lane may call; the clocks.
 */
@NullMarked
package io.cvimport.imports.lanes;

import org.jspecify.annotations.NullMarked;
