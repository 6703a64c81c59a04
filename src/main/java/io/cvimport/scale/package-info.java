/**
 * Scaling the import step out: its rows split into partitions by target resource, each
 * partition one execution of the import step, worked by threads of this process.
 */
@NullMarked
package io.cvimport.scale;

import org.jspecify.annotations.NullMarked;
