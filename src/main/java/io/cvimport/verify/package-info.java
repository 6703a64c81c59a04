/**
 * Verifying an imported project against what its export announced: which counts the Training
 * API v3.2 lets us read on the target, and what they say.
 */
@NullMarked
package io.cvimport.verify;

import org.jspecify.annotations.NullMarked;
