/**
 * One execution's imports, put together: the lanes, their owner and the calls it hands out.
 */
@NullMarked
package io.cvimport.imports.engine;

import org.jspecify.annotations.NullMarked;
