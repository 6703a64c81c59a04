/**
 * The ledger: every input row's state and outcome, in the job repository's database.
 * It is the job's memory across crashes: what it says was sent is never sent again.
 */
@NullMarked
package io.cvimport.ledger;

import org.jspecify.annotations.NullMarked;
