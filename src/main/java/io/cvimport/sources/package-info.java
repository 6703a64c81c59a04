/**
 * Rows that name a whole source resource (an empty {@code projectId}, or {@code *}): the
 * expansion step lists each such resource once and gives every project it holds a ledger row
 * of its own, worked from then on as a row naming that source project.
 */
@NullMarked
package io.cvimport.sources;

import org.jspecify.annotations.NullMarked;
